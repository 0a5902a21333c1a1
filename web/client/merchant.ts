// The return check without a page load: the same question to the public API as the server-rendered
// form asks (returnEligibility), the answer built with the same markup. Without script the form
// still works by GET.
const QUERY = `query ReturnCheck($uscc: String!, $receivedOn: Date!, $goodsCategory: String) {
  returnEligibility(uscc: $uscc, receivedOn: $receivedOn, goodsCategory: $goodsCategory) {
    eligible lastDay lastDayProvisional windowDays goodsCategory { nameZh } reasons { code blocking messageZh }
  }
}`;

interface Answer {
  eligible: boolean;
  lastDay: string | null;
  lastDayProvisional: boolean;
  reasons: { code: string; blocking: boolean; messageZh: string }[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function render(target: HTMLElement, answer: Answer | null, error?: string): void {
  if (error || !answer) {
    target.replaceChildren(el('p', error ?? '没有此统一社会信用代码的商户。', { class: 'error', role: 'alert' }));
    return;
  }
  const box = el('div', undefined, { class: `answer ${answer.eligible ? 'yes' : 'no'}`, 'data-testid': 'return-answer' });
  const line = el('p');
  line.append(el('strong', answer.eligible ? '可以退货' : '不能无理由退货'));
  if (answer.lastDay) {
    line.append('，最后一天：', el('time', answer.lastDay, { 'data-testid': 'last-day' }));
    if (answer.lastDayProvisional) line.append('（节假日安排未公布，暂按周一至周五计算）');
  }
  const list = el('ul');
  for (const r of answer.reasons) list.append(el('li', `${r.blocking ? '✗ ' : ''}${r.messageZh}`, { 'data-code': r.code }));
  box.append(line, list);
  target.replaceChildren(box);
}

const form = document.querySelector<HTMLFormElement>('form.return-check');
const target = document.getElementById('return-answer');
if (form && target) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const variables = { uscc: form.dataset.uscc, receivedOn: data.get('receivedOn'), goodsCategory: data.get('goods') || null };
    target.setAttribute('aria-busy', 'true');
    fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables }) })
      .then((response) => response.json() as Promise<{ data?: { returnEligibility: Answer | null }; errors?: { message: string }[] }>)
      .then((body) => render(target, body.data?.returnEligibility ?? null, body.errors?.[0]?.message))
      .catch(() => render(target, null, '网络错误，请重试。'))
      .finally(() => {
        target.removeAttribute('aria-busy');
        target.dataset.done = String(Number(target.dataset.done ?? '0') + 1);
      });
  });
}
