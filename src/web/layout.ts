import { html, type Html } from './html';

export interface PageOptions {
  title: string;
  /** Scripts built from web/client (names without .js), loaded as modules at the end of the body. */
  scripts?: string[];
  /** Shown at the top right: who is signed in, with a sign-out button. */
  signedInAs?: string;
  /** The nav entry to mark as current. */
  current?: 'search' | 'report' | 'me' | 'board' | 'graphiql';
}

const NAV: { key: NonNullable<PageOptions['current']>; href: string; label: string }[] = [
  { key: 'search', href: '/', label: '商户查询' },
  { key: 'report', href: '/report/2023/421300', label: '年度数据' },
  { key: 'me', href: '/me', label: '商户主页' },
  { key: 'board', href: '/board', label: '监管看板' },
  { key: 'graphiql', href: '/graphiql', label: 'API 浏览器' },
];

/** A whole page: one stylesheet, no inline script or style (the CSP allows neither). */
export function page(options: PageOptions, body: Html): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · 放心消费商户信用登记</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<header class="site">
<a class="brand" href="/">放心消费商户信用登记</a>
<nav aria-label="主导航"><ul>${NAV.map(
    (n) => html`<li><a href="${n.href}"${n.key === options.current ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
  )}</ul></nav>
${options.signedInAs ? html`<form class="signout" method="post" action="/sign-out"><span>${options.signedInAs}</span> <button type="submit">退出</button></form>` : ''}
</header>
<main id="main">
${body}
</main>
<footer class="site"><p>数据来自登记系统的 GraphQL 接口（<a href="/graphiql">API 浏览器</a>）；公开页面不显示消费者个人信息。</p></footer>
${(options.scripts ?? []).map((s) => html`<script type="module" src="/assets/${s}.js"></script>`)}
</body>
</html>
`.text;
}
