import { execFileSync } from 'node:child_process';
import { Browser, chromium, Page } from 'playwright-core';
import { projectPath } from '../../src/paths';
import { SyncService } from '../../src/sync/sync.service';
import { HttpSession } from '../support/http-session';
import { listRoutes, SecurityWorld } from './support';

jest.setTimeout(120_000);

/**
 * Headers (strict CSP with nonces, HSTS behind https, nosniff, frame-ancestors 'none', no-store on
 * signed-in pages) on every page, and 20 hostile calendar titles and descriptions synced from a client
 * calendar through the emulator, rendered as text in a real browser with zero CSP violations.
 */
export const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '"><svg onload=window.__pwned=3>',
  "'><iframe src=javascript:parent.__pwned=4></iframe>",
  "{{constructor.constructor('window.__pwned=5')()}}",
  '<a href="javascript:window.__pwned=6">click me</a>',
  '</title><script>window.__pwned=7</script>',
  '<style>body{display:none}</style>',
  '<div x-data x-init="window.__pwned=9">alpine</div>',
  '<div hx-get="/api/me" hx-trigger="load" hx-target="body">htmx</div>',
  '<details open ontoggle=window.__pwned=11>',
  '<math><mi xlink:href="javascript:window.__pwned=12">x</mi></math>',
  '${window.__pwned=13}',
  '&lt;script&gt;window.__pwned=14&lt;/script&gt;',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<form action="https://evil.example"><button>go</button></form>',
  'javascript:window.__pwned=18',
  '\u202egnp.exe <b>bold</b>',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=20>">',
];

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

function checkCsp(csp: string | null): string[] {
  const problems: string[] = [];
  if (!csp) return ['no CSP'];
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v]),
  );
  if (!directives['script-src']?.some((v) => /^'nonce-[A-Za-z0-9_-]{16,}'$/.test(v)))
    problems.push('script-src without a nonce');
  if (
    /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|\*|data:|http:|https:/.test(
      (directives['script-src'] ?? []).join(' '),
    )
  )
    problems.push(`loose script-src: ${directives['script-src']}`);
  if (/'unsafe-inline'/.test((directives['style-src'] ?? []).join(' '))) problems.push('style-src unsafe-inline');
  if (directives['frame-ancestors']?.join(' ') !== "'none'") problems.push('frame-ancestors not none');
  if (directives['default-src']?.join(' ') !== "'none'") problems.push('default-src not none');
  if (directives['object-src']?.join(' ') !== "'none'") problems.push('object-src not none');
  if (directives['base-uri']?.join(' ') !== "'none'") problems.push('base-uri not none');
  return problems;
}

describe('security headers and hostile content in a real browser', () => {
  let world: SecurityWorld;
  let browser: Browser;
  const hostileCalendar = 'hostile@group.acme.example';

  beforeAll(async () => {
    execFileSync(process.execPath, [projectPath('scripts', 'copy-assets.js')]);
    world = await SecurityWorld.start();
    // A client calendar whose own name is hostile, and 20 events titled and described with the corpus.
    world.fake.control.seed({ calendars: [{ id: hostileCalendar, summary: HOSTILE[1], owner: 'ann@acme.example' }] });
    const start = Date.now() + 2 * 3600_000;
    HOSTILE.forEach((title, i) => {
      const at = new Date(start + i * 3600_000);
      world.fake.control.createEvent('ann@acme.example', 'ann@acme.example', {
        summary: title,
        description: `${HOSTILE[(i + 7) % HOSTILE.length]}\n${title}`,
        location: HOSTILE[(i + 3) % HOSTILE.length],
        start: { dateTime: at.toISOString() },
        end: { dateTime: new Date(at.getTime() + 1800_000).toISOString() },
      });
    });
    await world.app.get(SyncService).fullResync(world.ann.id);
    await world.idle();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('every page: strict CSP with a per-response nonce on each script, nosniff, no framing, no-store when signed in', async () => {
    const pages = listRoutes(world.app).filter(
      (r) =>
        r.startsWith('GET ') &&
        !r.includes(':') &&
        !r.includes('*') &&
        !r.startsWith('GET /api') &&
        !r.startsWith('GET /auth') &&
        r !== 'GET /health',
    );
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const ann = await world.session(world.ada);
    const problems: string[] = [];
    const nonces = new Set<string>();
    for (const route of pages) {
      const path = route.slice(4);
      const res = await ann.request('GET', path, undefined, { 'x-forwarded-proto': 'https' });
      const html = await res.text();
      const csp = res.headers.get('content-security-policy');
      for (const p of checkCsp(csp)) problems.push(`${path}: ${p}`);
      if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${path}: no nosniff`);
      if (res.headers.get('x-frame-options') !== 'DENY') problems.push(`${path}: no X-Frame-Options DENY`);
      if (!/max-age=\d{7,}/.test(res.headers.get('strict-transport-security') ?? ''))
        problems.push(`${path}: no HSTS behind https`);
      if (res.status === 200 && !/no-store/.test(res.headers.get('cache-control') ?? ''))
        problems.push(`${path}: cacheable (${res.headers.get('cache-control')})`);
      const nonce = /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
      if (nonce) {
        if (nonces.has(nonce)) problems.push(`${path}: nonce reused`);
        nonces.add(nonce);
      }
      if (res.status === 200 && /text\/html/.test(res.headers.get('content-type') ?? '')) {
        for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
          if (!tag.includes(`nonce="${nonce}"`) || !/src="\/static\//.test(tag))
            problems.push(`${path}: script without nonce or not from /static: ${tag}`);
        if (/<script\b[^>]*>[^<]+<\/script>/.test(html)) problems.push(`${path}: inline script`);
        if (/\son[a-z]+\s*=/i.test(html)) problems.push(`${path}: inline event handler`);
        if (/\sstyle\s*=/i.test(html)) problems.push(`${path}: inline style`);
        if (/<script[^>]+alpine(?!-csp)/.test(html)) problems.push(`${path}: Alpine that is not the CSP build`);
      }
    }
    // Without the proxy's https and with an http PUBLIC_URL: no HSTS (it would be ignored, and wrong).
    const plain = await ann.request('GET', '/app');
    if (plain.headers.get('strict-transport-security')) problems.push('/app over http: HSTS');
    expect(problems).toEqual([]);
  });

  const violations: string[] = [];
  /** Loads a page, then collects the CSP violations its document saw (the listener lives per document). */
  async function open(page: Page, path: string): Promise<void> {
    const res = await page.goto(`${world.product.url}${path}`);
    expect([path, res?.status()]).toEqual([path, 200]);
    await page.waitForLoadState('load');
    const seen = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    violations.push(...seen.map((v) => `${path}: ${v}`));
  }

  it('renders 20 hostile titles and descriptions as text, runs none of them, and reports zero CSP violations', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
      );
    });
    const cookie = (await world.session(world.ann)).cookieHeader().split('=');
    await context.addCookies([{ name: 'bb_session', value: cookie.slice(1).join('='), url: world.product.url }]);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await open(page, '/app/events?weeks=1');
    const titles = await page.$$eval('.event-title', (els) => els.map((e) => e.textContent ?? ''));
    for (const title of HOSTILE) expect([title, titles.includes(title)]).toEqual([title, true]);
    const pagesShown = [
      '/app',
      '/app/settings',
      '/app/logs',
      `/app/connect?account=${world.res.ann.account}`,
      '/app/it-approval',
    ];
    for (const path of pagesShown) await open(page, path);
    // The picker lists the account's calendars, the hostile name among them, as text.
    await open(page, `/app/connect?account=${world.res.ann.account}`);
    expect(await page.textContent('body')).toContain(HOSTILE[1]);
    // Emulator-independent pages that echo the request.
    for (const value of HOSTILE) {
      await open(page, `/app/login?error=${encodeURIComponent(value)}&next=${encodeURIComponent(value)}`);
    }
    // The admin's pages show the same data (user names, calendars, logs).
    const adminCookie = (await world.session(world.ada)).cookieHeader().split('=');
    await context.addCookies([{ name: 'bb_session', value: adminCookie.slice(1).join('='), url: world.product.url }]);
    for (const path of ['/admin', '/admin/users', `/admin/users/${world.ann.id}`, '/admin/logs', '/admin/settings'])
      await open(page, path);

    const state = await page.evaluate(() => {
      const w = window as unknown as {
        __pwned?: unknown;
        __violations: string[];
        Alpine?: unknown;
        htmx?: { config?: { allowEval?: boolean } };
      };
      return { pwned: w.__pwned ?? null, violations: w.__violations, alpine: typeof w.Alpine, htmx: typeof w.htmx };
    });
    expect(state).toEqual({ pwned: null, violations: [], alpine: 'object', htmx: 'object' });
    expect(violations).toEqual([]);
    // Chromium also logs each 4xx resource; the response listener above names them.
    expect(consoleErrors.filter((e) => !/^Failed to load resource/.test(e))).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(world.product.url))).toEqual([]);
    await context.close();
  });

  it('a page framed by another site is refused by the browser (frame-ancestors)', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => blocked.push(m.text()));
    await page.setContent(`<iframe id="f" src="${world.product.url}/app/login"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f.url().startsWith(world.product.url));
    const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(framedText).not.toContain('Sign in');
    await page.close();
    const api = await new HttpSession(world.product.url).request('GET', '/app/login');
    expect(api.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
