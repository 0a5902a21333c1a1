import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';

// Browser globals, used only inside callbacks that run in the page.
declare const document: any;
declare const window: any;
declare type Document = any;

/** Debian's chromium (installed by .ci/run), or CHROMIUM_PATH; undefined when there is none. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/** Where tests leave screenshots (ignored by git). */
export const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** Builds the pages' scripts and styles as `npm start` would (esbuild, a few seconds). */
export function buildWebAssets(): void {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'web', 'build.mjs')], { stdio: 'inherit' });
}

/** A headless chromium driven by puppeteer-core (no browser download: the system's own). */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const puppeteer = await import('puppeteer-core');
  mkdirSync(ARTIFACTS, { recursive: true });
  return puppeteer.launch({
    executablePath,
    headless: true,
    // Root in CI: chromium's sandbox needs a user namespace it may not get there.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--lang=zh-CN'],
  });
}

/** What a page reported about the content-security policy: every violation, from the DOM event and the console. */
export interface CspWatch {
  violations: string[];
}

/** A page at 375 px (a phone) that records CSP violations and uncaught errors. */
export async function watchedPage(browser: Browser, watch: CspWatch, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 375, height: 812 });
  await page.exposeFunction('__reportCsp', (text: string) => {
    watch.violations.push(text);
  });
  // Installed before any page script: CDP's injection itself is not subject to the page's CSP.
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e: any) => {
      void (window as unknown as { __reportCsp: (t: string) => Promise<void> }).__reportCsp(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) watch.violations.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return page;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const axe = (await import('axe-core')) as unknown as { source: string; default?: { source: string } };
  const source = axe.source ?? axe.default!.source;
  // Evaluated through CDP (not a <script> tag), so the page's CSP does not block it.
  await page.evaluate(source);
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe.run;
    const r = await run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.targets.join(', ')}`);
}

/** Whether the page scrolls sideways at its viewport width. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
