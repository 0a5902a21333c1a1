/**
 * The registry in a real browser (Debian's chromium through puppeteer-core): the public pages,
 * the return check, a merchant's /me, a supervisor's live /board, the offline explorer, CORS and
 * the content-security policy. Without chromium the suite is skipped with a loud message.
 */
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, TEST_AUTH_SECRET, type TestServer } from '../helpers/server';
import { signToken } from '../../src/auth/tokens';
import { escapeHtml } from '../../src/web/html';
import { ARTIFACTS, buildWebAssets, chromiumPath, launchBrowser, scrollsSideways, seriousAxeViolations, watchedPage, type CspWatch } from '../helpers/browser';

// Browser globals, used only inside callbacks that run in the page.
declare const document: any;
declare const window: any;
declare type HTMLInputElement = any;
declare type HTMLElement = any;

const USCC = '92421303L87467168R';
const ALLOWED_ORIGIN = 'https://lookup.example.cn';
const executablePath = chromiumPath();
if (!executablePath) {
  console.warn('\n!!! chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH): the browser tests are SKIPPED !!!\n');
}
const suite = executablePath ? describe : describe.skip;

const CREATE = /* GraphQL */ `mutation ($input: CreateAppealInput!) { createAppeal(input: $input) { id version } }`;
const ADVANCE = /* GraphQL */ `mutation ($input: AdvanceAppealInput!) { advanceAppeal(input: $input) { id status version } }`;

suite.each(drivers)('the site in a browser (%s)', (driver) => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let merchant: { id: string; regionCode: string };
  const csp: CspWatch = { violations: [] };
  const pageErrors: string[] = [];
  const sockets = new Set<Socket>();
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    buildWebAssets();
    server = await startTestServer(driver, { env: { CORS_ORIGINS: ALLOWED_ORIGIN } });
    origin = new URL(server.url).origin;
    // Every WebSocket upgrade, so a test can cut the board's connection from the server side.
    server.app.httpServer.on('upgrade', (_req, socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    browser = await launchBrowser(executablePath!);
    merchant = (await server.gql(`{ merchant(uscc: "${USCC}") { id regionCode } }`)).data!.merchant;
    supervisor = await authHeader({ sub: 'board-supervisor', role: 'SUPERVISOR', regions: [merchant.regionCode] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await watchedPage(browser, csp, pageErrors);
    await page.goto(`${origin}${path}`, { waitUntil: 'networkidle0' });
    return page;
  }

  async function checkPage(page: Page, name: string): Promise<void> {
    expect(await scrollsSideways(page)).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${driver}-${name}.png`), fullPage: true });
  }

  async function signIn(page: Page, token: string, path: '/me' | '/board'): Promise<void> {
    await page.goto(`${origin}${path}`, { waitUntil: 'networkidle0' });
    await page.type('#token', token);
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('.sign-in button[type=submit]')]);
  }

  it('serves the public pages as HTML that needs no script', async () => {
    const home = await (await fetch(`${origin}/?q=${encodeURIComponent('超市')}`)).text();
    expect(home).toContain('<form class="search"');
    expect(home).toMatch(/共 \d+ 家商户/);
    expect(home).toContain('href="/m/');

    const profile = await fetch(`${origin}/m/${USCC}`);
    expect(profile.status).toBe(200);
    const html = await profile.text();
    const api = (await server.gql(`{ merchant(uscc: "${USCC}") { name rating { grade score } } }`)).data!.merchant;
    expect(html).toContain(`<h1>${api.name}</h1>`);
    expect(html).toContain(`data-testid="grade">${api.rating.grade}<`);
    expect(html).toContain(`data-testid="score">${api.rating.score.toFixed(2)}<`);
    expect(html).toContain('<svg class="chart"');
    // Never a consumer's personal data on a public page.
    expect(html).not.toMatch(/1[3-9]\d{9}/);

    const report = await (await fetch(`${origin}/report/2023/421300`)).text();
    expect(report).toContain('<h1>随州市2023年12315消费维权数据分析</h1>');
    expect(report).toContain('<h2>一、总体情况</h2>');
    expect(report).toContain('<svg');

    const missing = await fetch(`${origin}/m/91110000600037341L`);
    expect(missing.status).toBe(404);
  });

  it('checks a typed USCC as the API does, with the same message', async () => {
    const api = await server.gql(`{ merchants(filter: { uscc: "92421303L8746716XX" }) { totalCount } }`);
    const message = api.errors![0]!.message;
    const response = await fetch(`${origin}/?uscc=92421303L8746716XX`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(escapeHtml(message));
  });

  it('works with JavaScript off: search, open a merchant, run the return check by form', async () => {
    const page = await watchedPage(browser, csp, pageErrors);
    await page.setJavaScriptEnabled(false);
    await page.goto(`${origin}/`, { waitUntil: 'networkidle0' });
    await page.type('input[name=q]', '超市');
    await Promise.all([page.waitForNavigation(), page.click('form.search button[type=submit]')]);
    expect(await page.$$eval('.results li', (items) => items.length)).toBeGreaterThan(0);
    await Promise.all([page.waitForNavigation(), page.goto(`${origin}/m/${USCC}`)]);
    await page.$eval('input[name=receivedOn]', (input) => ((input as HTMLInputElement).value = '2024-09-28'));
    await Promise.all([page.waitForNavigation(), page.click('form.return-check button[type=submit]')]);
    expect(page.url()).toContain('receivedOn=2024-09-28');
    expect(await page.$eval('[data-testid=return-answer]', (el) => el.textContent)).toMatch(/退货/);
    await page.close();
  });

  it('search → merchant → grade and factor chart → return check, answering as returnEligibility does', async () => {
    const page = await open('/');
    await checkPage(page, 'search');
    await page.type('input[name=q]', '超市');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('form.search button[type=submit]')]);
    await checkPage(page, 'search-results');
    const response = await server.gql(
      `mutation ($input: FilePatternResponseInput!) { filePatternResponse(input: $input) { id } }`,
      { input: { merchantId: merchant.id, issueType: 'REFUSED_RETURN', body: '已培训店员执行七日无理由退货' } },
      supervisor,
    );
    expect(response.errors).toBeUndefined();
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.goto(`${origin}/m/${USCC}`, { waitUntil: 'networkidle0' })]);
    expect(await page.$eval('[data-testid=grade]', (el) => el.textContent)).toMatch(/^(A|B|C|D|NR)$/);
    expect(await page.$$eval('figure.factors svg rect', (bars) => bars.length)).toBeGreaterThan(3);
    const profile = (
      await server.gql(`{ merchant(uscc: "${USCC}") { rating { factors { key reason } } complaintSummary {
        answers { answerable answered answeredOnTime onTimePercent } patternResponses { issueTypeLabel respondedOn body } } } }`)
    ).data!.merchant;
    // Each factor's reason on the page is the API's, in the table and as its bar's tooltip.
    const reasons = await page.$$eval('tr[data-factor]', (rows) => rows.map((tr) => [tr.getAttribute('data-factor'), tr.querySelector('.reason')!.textContent]));
    expect(reasons).toEqual(profile.rating.factors.map((f: { key: string; reason: string }) => [f.key, f.reason]));
    const tooltips = await page.$$eval('figure.factors svg g > title', (titles) => titles.map((t) => t.textContent ?? ''));
    expect(tooltips).toHaveLength(profile.rating.factors.length);
    profile.rating.factors.forEach((f: { reason: string }, i: number) => expect(tooltips[i]).toContain(f.reason));
    // The on-time answer share and the pattern responses, as complaintSummary gives them.
    const share = await page.$eval('[data-testid=answer-share]', (el) => el.textContent ?? '');
    const answers = profile.complaintSummary.answers;
    if (answers.answerable === 0) expect(share).toBe('目前没有应答复的投诉。');
    else expect(share).toContain(`${answers.onTimePercent}%：应答复 ${answers.answerable} 件，已答复 ${answers.answered} 件，其中在受理后 10 个工作日内答复 ${answers.answeredOnTime} 件`);
    const responses = await page.$$eval('.pattern-responses li', (items) => items.map((li) => li.textContent));
    expect(responses).toEqual(profile.complaintSummary.patternResponses.map((r: { respondedOn: string; issueTypeLabel: string; body: string }) => `${r.respondedOn} · ${r.issueTypeLabel}：${r.body}`));
    expect(responses).toContainEqual(expect.stringContaining('已培训店员执行七日无理由退货'));
    await checkPage(page, 'merchant');

    const url = page.url();
    await page.$eval('input[name=receivedOn]', (input) => ((input as HTMLInputElement).value = '2024-09-28'));
    await page.select('select[name=goods]', 'FRESH_PERISHABLE');
    await page.click('form.return-check button[type=submit]');
    await page.waitForSelector('#return-answer[data-done="1"]');
    // Answered by the script, without leaving the page.
    expect(page.url()).toBe(url);
    const shown = await page.$$eval('#return-answer li', (items) => items.map((li) => li.getAttribute('data-code')));
    const api = (await server.gql(`{ returnEligibility(uscc: "${USCC}", receivedOn: "2024-09-28", goodsCategory: "FRESH_PERISHABLE") { eligible lastDay reasons { code messageZh } } }`)).data!.returnEligibility;
    expect(shown).toEqual(api.reasons.map((r: { code: string }) => r.code));
    const text = await page.$eval('#return-answer', (el) => el.textContent ?? '');
    for (const reason of api.reasons) expect(text).toContain(reason.messageZh);
    expect(text).toContain(api.eligible ? '可以退货' : '不能无理由退货');
    await checkPage(page, 'return-check');
    await page.close();
  });

  it('shows the annual report page', async () => {
    const page = await open('/report/2023/421300');
    expect(await page.$eval('h1', (el) => el.textContent)).toBe('随州市2023年12315消费维权数据分析');
    await checkPage(page, 'report');
    await page.close();
  });

  it('/me: signs in with a pasted token, runs a what-if, and answers a complaint', async () => {
    const created = (await server.gql(CREATE, { input: { type: 'COMPLAINT', channel: 'HOTLINE', merchantId: merchant.id, categoryCode: 'GOODS.FOOD', issueType: 'QUALITY', consumerName: '张三丰', consumerPhone: '13912345678', details: '月饼过期' } }, supervisor)).data!.createAppeal;
    await server.gql(ADVANCE, { input: { id: created.id, action: 'ACCEPT', expectedVersion: created.version } }, supervisor);
    const token = await signToken(TEST_AUTH_SECRET, { sub: 'shop-owner', role: 'MERCHANT', merchantIds: [merchant.id] });

    const page = await watchedPage(browser, csp, pageErrors);
    await signIn(page, token, '/me');
    expect(page.url()).toBe(`${origin}/me`);
    const cookie = (await page.cookies()).find((c) => c.name === 'registry_token')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');

    const item = `#appeal-${created.id}`;
    // Masked as the API masks for a merchant: the surname, and the phone's middle digits hidden.
    const meta = await page.$eval(`${item} .meta`, (el) => el.textContent ?? '');
    expect(meta).not.toContain('13912345678');
    expect(meta).not.toContain('张三丰');
    await checkPage(page, 'me');

    await page.click('input[name=step][value=ENROLL_SETTLEMENT_PLATFORM]');
    // The merchant is not an ODR enterprise: this step changes a factor whatever the other does.
    await page.click('input[name=step][value=GAIN_ODR_RECOGNITION]');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('form.what-if button[type=submit]')]);
    const projected = await page.$eval('[data-testid=projected-score]', (el) => Number(el.textContent));
    const api = (
      await server.gql(
        `{ merchant(id: "${merchant.id}") { ratingWhatIf(changes: [{ kind: ENROLL_SETTLEMENT_PLATFORM }, { kind: GAIN_ODR_RECOGNITION }]) { current { factors { key points } } projected { score grade factors { key points reason } } } } }`,
        {},
        { authorization: `Bearer ${token}` },
      )
    ).data!.merchant.ratingWhatIf;
    expect(projected).toBeCloseTo(api.projected.score, 2);
    expect(await page.$eval('[data-testid=projected-grade]', (el) => el.textContent)).toBe(api.projected.grade);
    // The factors the step changes, with the API's reasons for their projected points.
    const before = new Map(api.current.factors.map((f: { key: string; points: number }) => [f.key, f.points]));
    const changed = api.projected.factors.filter((f: { key: string; points: number }) => before.get(f.key) !== f.points);
    expect(changed.length).toBeGreaterThan(0);
    const shownChanges = await page.$$eval('.what-if-factors li', (items) => items.map((li) => [li.getAttribute('data-factor'), li.querySelector('.reason')!.textContent]));
    expect(shownChanges).toEqual(changed.map((f: { key: string; reason: string }) => [f.key, f.reason]));

    await page.type(`${item} textarea`, '已为消费者退款并致歉。');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click(`${item} .answer-form button`)]);
    expect(await page.$eval('.notice', (el) => el.textContent)).toBe('已提交答复。');
    expect(await page.$eval(`${item} blockquote`, (el) => el.textContent)).toContain('已为消费者退款并致歉。');
    const answers = (await server.gql(`{ appeal(id: "${created.id}") { answers { body } } }`, {}, supervisor)).data!.appeal.answers;
    expect(answers).toEqual([{ body: '已为消费者退款并致歉。' }]);
    await page.close();
  });

  it('refuses a form post from another site', async () => {
    const response = await fetch(`${origin}/me/answer`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'appealId=x&body=y', redirect: 'manual' });
    expect(response.status).toBe(403);
  });

  it('/board: a new appeal appears without reload; a lost connection shows a banner and resumes', async () => {
    const token = await signToken(TEST_AUTH_SECRET, { sub: 'board-supervisor', role: 'SUPERVISOR', regions: [merchant.regionCode] });
    const page = await watchedPage(browser, csp, pageErrors);
    await signIn(page, token, '/board');
    await page.waitForSelector('body[data-live=connected]');
    await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));

    const file = async () => (await server.gql(CREATE, { input: { type: 'COMPLAINT', channel: 'HOTLINE', merchantId: merchant.id, categoryCode: 'GOODS.FOOD', issueType: 'QUALITY', details: '看板测试' } }, supervisor)).data!.createAppeal.id as string;
    const first = await file();
    const started = Date.now();
    await page.waitForSelector(`tr[data-appeal="${first}"]`, { timeout: 15_000 });
    // The issue's 2 s is a figure, not an assertion: kept beside the screenshots, out of the test output.
    writeFileSync(join(ARTIFACTS, `${driver}-board-latency.txt`), `a new appeal appeared ${Date.now() - started} ms after createAppeal answered\n`);
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    // The funds below their minimum are those compensationFunds gives the supervisor.
    const funds = (await server.gql(`{ compensationFunds(regionCode: "${merchant.regionCode}", belowMinimum: true, first: 50) { edges { node { host { name } } } } }`, {}, supervisor)).data!
      .compensationFunds.edges.map((e: { node: { host: { name: string } } }) => e.node.host.name);
    expect(await page.$$eval('ul.funds li a', (links) => links.map((a) => a.textContent))).toEqual(funds);
    await checkPage(page, 'board');

    // Cut the socket from the server side: the banner shows, the client reconnects, the banner goes.
    expect(sockets.size).toBeGreaterThan(0);
    for (const socket of sockets) socket.destroy();
    await page.waitForSelector('#connection:not([hidden])');
    await page.screenshot({ path: join(ARTIFACTS, `${driver}-board-disconnected.png`) });
    await page.waitForSelector('body[data-live=connected]', { timeout: 15_000 });
    expect(await page.$eval('#connection', (el) => (el as HTMLElement).hidden)).toBe(true);
    const second = await file();
    await page.waitForSelector(`tr[data-appeal="${second}"]`, { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    await page.close();
  });

  it('GraphiQL loads with nothing but this server and runs a query', async () => {
    const page = await watchedPage(browser, csp, pageErrors);
    await page.setViewport({ width: 1280, height: 900 });
    const elsewhere: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') void request.continue();
      else {
        elsewhere.push(request.url());
        void request.abort();
      }
    });
    await page.goto(`${origin}/graphiql`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await page.evaluate(() => {
      const editor = document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } };
      editor.CodeMirror.setValue('{ merchant(uscc: "92421303L87467168R") { name } }');
    });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => (document.querySelector('.result-window')?.textContent ?? '').includes('"name"'), { timeout: 15_000 });
    const name = (await server.gql(`{ merchant(uscc: "${USCC}") { name } }`)).data!.merchant.name;
    expect(await page.$eval('.result-window', (el) => el.textContent)).toContain(name);
    expect(elsewhere).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `${driver}-graphiql.png`) });
    await page.close();
  });

  it('answers a CORS preflight for a listed origin only', async () => {
    const preflight = (from: string) =>
      fetch(`${origin}/graphql`, { method: 'OPTIONS', headers: { origin: from, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://elsewhere.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.status).toBe(403);
    const post = await fetch(`${origin}/graphql`, { method: 'POST', headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ goodsCategories { code } }' }) });
    expect(post.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    // Apollo's CSRF prevention is still there: a simple cross-site request is refused.
    const simple = await fetch(`${origin}/graphql?query=${encodeURIComponent('{ goodsCategories { code } }')}`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(simple.status).toBe(400);
  });

  it('sends the security headers with a CSP, and no page violated it', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(csp.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
