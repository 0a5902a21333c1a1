import { html, type Html } from '../html';

/** The form to paste a token into; `next` is where to go once signed in (/me or /board). */
export function signInForm(next: '/me' | '/board', who: string, error?: string): Html {
  return html`<section class="sign-in" aria-labelledby="sign-in-title">
<h2 id="sign-in-title">登录</h2>
<p>请粘贴${who}的访问令牌（JWT）。令牌只保存在本网站的 HttpOnly Cookie 中，页面脚本无法读取。</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/sign-in">
<input type="hidden" name="next" value="${next}">
<label for="token">访问令牌</label>
<textarea id="token" name="token" rows="4" required autocomplete="off" spellcheck="false"></textarea>
<button type="submit">登录</button>
</form>
</section>`;
}
