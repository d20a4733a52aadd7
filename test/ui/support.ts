import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { projectPath } from '../../src/paths';

/** The folder the UI runs write their screenshots to (gitignored). */
export const SHOTS = projectPath('test-artifacts', 'screenshots', 'ui');

/** Debian's Chromium, headless, with nothing of its own talking to the network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Built assets in public/ and the screenshot folder, before the product starts. */
export async function prepareAssets(): Promise<void> {
  execFileSync(process.execPath, [projectPath('scripts', 'copy-assets.js')]);
  await fs.mkdir(SHOTS, { recursive: true });
}

export interface UiBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors, CSP violations, uncaught errors and dialogs seen so far (a passing run has none). */
  problems: string[];
  shot(name: string): Promise<Buffer>;
}

/** A fresh Chromium with one phone-sized context and page for a whole test file. */
export async function openBrowser(options: BrowserContextOptions = {}): Promise<UiBrowser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (
      (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) ||
      /Content Security Policy/i.test(m.text())
    )
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
  return {
    browser,
    context,
    page,
    problems,
    shot: (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }),
  };
}
