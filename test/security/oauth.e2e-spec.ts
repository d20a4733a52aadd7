import { DataSource } from 'typeorm';
import { CookieClient } from '../support/cookie-client';
import { HttpSession } from '../support/http-session';
import { CLIENT_ID, completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';
import { SyncService } from '../../src/sync/sync.service';
import { changedTables, dumpDatabase } from './support';

jest.setTimeout(180_000);

/**
 * OAuth/OIDC (ASVS V10, RFC 9700) through the real routes against the emulator: crafted ID tokens and
 * userinfo answers, state and code replays for sign-in and connect, and a corpus of open-redirect vectors
 * through every `next` the product reads.
 */
const now = () => Math.floor(Date.now() / 1000);
const ANN = `ann@${DOMAIN}`;

interface Craft {
  name: string;
  /** The account chosen at Google's account chooser. */
  as: string;
  claims?: Record<string, unknown>;
  signWith?: 'emulator' | 'untrusted';
  userinfo?: Record<string, unknown>;
}

/** Every one of these must end on the login page with an error, no session, and the database unchanged. */
const CRAFTED: Craft[] = [
  { name: 'foreign issuer', as: ANN, claims: { iss: 'https://evil.example' } },
  { name: 'look-alike issuer', as: ANN, claims: { iss: 'https://accounts.google.com.evil.example' } },
  { name: 'issuer over http', as: ANN, claims: { iss: 'http://accounts.google.com' } },
  { name: 'audience of another client', as: ANN, claims: { aud: 'other-app.apps.googleusercontent.com' } },
  { name: 'audience list without us', as: ANN, claims: { aud: ['other-app.apps.googleusercontent.com'] } },
  {
    name: 'audience list with us and another',
    as: ANN,
    claims: { aud: [CLIENT_ID, 'other-app.apps.googleusercontent.com'] },
  },
  { name: 'expired an hour ago', as: ANN, claims: { iat: now() - 7200, exp: now() - 3600 } },
  { name: 'issued in the future', as: ANN, claims: { iat: now() + 3600, exp: now() + 7200 } },
  { name: 'lifetime over a day', as: ANN, claims: { iat: now(), exp: now() + 3 * 86400 } },
  { name: 'no expiry', as: ANN, claims: { exp: null } },
  { name: 'signed with a key Google does not publish', as: ANN, signWith: 'untrusted' },
  { name: 'no hd (consumer account)', as: ANN, claims: { hd: null } },
  { name: 'foreign hd', as: ANN, claims: { hd: 'client.example' } },
  { name: 'hd with the home domain as prefix', as: ANN, claims: { hd: `${DOMAIN}.evil.example` } },
  { name: 'hd ending in the home domain', as: ANN, claims: { hd: `evil${DOMAIN}` } },
  { name: 'hd with a trailing dot', as: ANN, claims: { hd: `${DOMAIN}.` } },
  { name: 'hd of a subdomain', as: ANN, claims: { hd: `sub.${DOMAIN}` } },
  { name: 'email_verified false', as: ANN, claims: { email_verified: false } },
  { name: 'email_verified "true" as a string', as: ANN, claims: { email_verified: 'true' } },
  { name: 'email_verified missing', as: ANN, claims: { email_verified: null } },
  { name: 'email a@evil.com@home', as: ANN, claims: { email: `a@evil.example@${DOMAIN}` } },
  { name: 'email of another domain under the home hd', as: ANN, claims: { email: 'ann@evil.example' } },
  { name: 'email of a subdomain under the home hd', as: ANN, claims: { email: `ann@sub.${DOMAIN}` } },
  { name: 'email with the home domain as prefix', as: ANN, claims: { email: `ann@${DOMAIN}.evil.example` } },
  { name: 'email with a Cyrillic look-alike letter', as: ANN, claims: { email: 'ann@h\u043eme.example' } },
  { name: 'email with a trailing dot', as: ANN, claims: { email: `ann@${DOMAIN}.` } },
  { name: 'email with a NUL byte', as: ANN, claims: { email: `ann@${DOMAIN}\u0000.evil.example` } },
  { name: 'no email', as: ANN, claims: { email: null } },
  { name: 'no subject', as: ANN, claims: { sub: null } },
  {
    name: 'a known email with a new subject (no linking by email)',
    as: ANN,
    claims: { sub: '99999999999999999999' },
    userinfo: { sub: '99999999999999999999' },
  },
  {
    name: 'a known email in other case with a new subject',
    as: ANN,
    claims: { sub: '88888888888888888888', email: ANN.toUpperCase() },
    userinfo: { sub: '88888888888888888888' },
  },
  { name: "another user's email on Ann's subject", as: ANN, claims: { email: `admin@${DOMAIN}` } },
  { name: 'ID token subject differs from userinfo', as: ANN, claims: { sub: '77777777777777777777' } },
  {
    name: 'consumer account, userinfo claims the home domain',
    as: 'eve@gmail.example',
    userinfo: { hd: DOMAIN, email: `eve@${DOMAIN}`, email_verified: true },
  },
  {
    name: 'consumer account, ID token claims a home address without hd',
    as: 'eve@gmail.example',
    claims: { email: `eve@${DOMAIN}`, hd: null },
  },
  {
    name: 'other Workspace, userinfo claims the home domain',
    as: 'cat@client.example',
    userinfo: { hd: DOMAIN, email: `cat@${DOMAIN}`, email_verified: true },
  },
];

describe('OAuth and OpenID Connect', () => {
  let world: World;
  let ds: DataSource;
  /** The database once background work (the first syncs after a sign-in) has settled. */
  const settledDump = async () => {
    await world.product.app.get(SyncService).onIdle();
    return dumpDatabase(ds);
  };
  beforeAll(async () => {
    world = await startWorld();
    await completeWizard(world);
    ds = world.product.app.get(DataSource);
    // Ann exists: the new-subject cases must not take her account over.
    const ann = new CookieClient(world.product.url);
    expect((await signInWithGoogle(ann, world.fake, ANN)).location).toBe('/app');
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`refuses ${CRAFTED.length} crafted ID tokens and userinfo answers, creating and changing nothing`, async () => {
    expect(CRAFTED.length).toBeGreaterThanOrEqual(25);
    const failures: string[] = [];
    for (const craft of CRAFTED) {
      if (craft.claims || craft.signWith)
        world.fake.control.setNextIdToken(craft.as, { claims: craft.claims, signWith: craft.signWith ?? 'emulator' });
      if (craft.userinfo) world.fake.control.setUserinfoOverride(craft.as, craft.userinfo);
      const before = await settledDump();
      const client = new CookieClient(world.product.url);
      try {
        const result = await signInWithGoogle(client, world.fake, craft.as);
        if (!/^\/app\/login\?error=[a-z-]+$/.test(result.location))
          failures.push(`${craft.name}: ended at ${result.location}`);
        if (client.cookies.has('bb_session')) failures.push(`${craft.name}: got a session`);
        if ((await client.getJson('/api/me')).status !== 401) failures.push(`${craft.name}: /api/me not 401`);
        const changed = changedTables(before, await settledDump());
        if (changed.length) failures.push(`${craft.name}: changed ${changed.join(', ')}`);
      } finally {
        world.fake.control.setUserinfoOverride(craft.as, null);
      }
    }
    expect(failures).toEqual([]);
    // The same account with an honest token still gets in (the refusals were the crafted claims).
    expect((await signInWithGoogle(new CookieClient(world.product.url), world.fake, ANN)).location).toBe('/app');
  });

  /** Starts a sign-in and returns Google's redirect back to us (code + state) without following it. */
  async function callbackFromGoogle(client: CookieClient, start: string, email: string): Promise<string> {
    const res = await client.get(start);
    const url = new URL(res.headers.get('location')!);
    url.searchParams.set('login_hint', email);
    const google = await fetch(url, { redirect: 'manual' });
    return google.headers.get('location')!.replace(world.product.url, '');
  }

  it('sign-in: refuses a reused callback, a replayed code under a fresh state, bad and foreign states', async () => {
    const browser = new CookieClient(world.product.url);
    const callback = await callbackFromGoogle(browser, '/auth/login', ANN);
    expect((await browser.get(callback)).headers.get('location')).toBe('/app');
    const before = await settledDump();
    const code = new URL(callback, 'http://x').searchParams.get('code')!;
    const refusals: Array<[string, Response, CookieClient]> = [];
    // 1. The same callback again, in the same browser.
    const again = new CookieClient(world.product.url);
    again.cookies.set('bb_oauth', browser.cookies.get('bb_oauth') ?? '');
    refusals.push(['reused callback', await again.get(callback), again]);
    // 2. The used code under a brand-new, valid state of another browser.
    const fresh = new CookieClient(world.product.url);
    const freshCallback = await callbackFromGoogle(fresh, '/auth/login', ANN);
    const freshState = new URL(freshCallback, 'http://x').searchParams.get('state')!;
    refusals.push([
      'replayed code',
      await fresh.get(`/auth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(freshState)}`),
      fresh,
    ]);
    // 3. Bad states.
    for (const state of ['', 'x', 'A'.repeat(10_000), '%00', '../../etc/passwd', freshState.slice(0, -1)]) {
      const c = new CookieClient(world.product.url);
      refusals.push([
        `state ${JSON.stringify(state.slice(0, 20))}`,
        await c.get(`/auth/callback?code=abc&state=${encodeURIComponent(state)}`),
        c,
      ]);
    }
    // 4. Ann's pending state presented by an attacker's browser (login CSRF / code injection).
    const victim = new CookieClient(world.product.url);
    const victimCallback = await callbackFromGoogle(victim, '/auth/login', ANN);
    const attacker = new CookieClient(world.product.url);
    refusals.push(['foreign state', await attacker.get(victimCallback), attacker]);
    for (const [name, res, c] of refusals) {
      expect([name, res.status, res.headers.get('location')]).toEqual([
        name,
        302,
        expect.stringMatching(/^\/app\/login\?error=/),
      ]);
      expect([name, c.cookies.has('bb_session')]).toEqual([name, false]);
    }
    expect(changedTables(before, await settledDump())).toEqual([]);
  });

  it('connect: refuses a reused callback, a replayed code, a foreign state and a sign-in state, storing nothing', async () => {
    world.fake.control.seed({ accounts: [{ email: 'ann@client.example', name: 'Ann at Client' }] });
    const ann = new CookieClient(world.product.url);
    await signInWithGoogle(ann, world.fake, ANN);
    const annHttp = new HttpSession(world.product.url, `bb_session=${ann.cookies.get('bb_session')}`);
    const callback = await callbackFromGoogle(ann, '/auth/connect-client', 'ann@client.example');
    const done = await ann.get(callback);
    expect(done.headers.get('location')).toMatch(/^\/app\/connect\?account=\d+$/);
    const admin = new CookieClient(world.product.url);
    await signInWithGoogle(admin, world.fake, `admin@${DOMAIN}`);
    const before = await settledDump();
    const code = new URL(callback, 'http://x').searchParams.get('code')!;
    const attempts: Array<[string, Response]> = [];
    attempts.push(['reused callback', await ann.get(callback)]);
    const freshCallback = await callbackFromGoogle(ann, '/auth/connect-client', 'ann@client.example');
    const freshState = new URL(freshCallback, 'http://x').searchParams.get('state')!;
    attempts.push([
      'replayed code',
      await ann.get(
        `/auth/connect-client/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(freshState)}`,
      ),
    ]);
    // Ann's pending connect state, presented by Admin's session: the account must not land on Admin.
    const victimCallback = await callbackFromGoogle(ann, '/auth/connect-client', 'ann@client.example');
    attempts.push(['foreign state', await admin.get(victimCallback)]);
    // A sign-in's state and code at the connect callback, and a client flow's at the personal callback.
    const signInCallback = await callbackFromGoogle(new CookieClient(world.product.url), '/auth/login', ANN);
    attempts.push([
      'sign-in state',
      await ann.get(signInCallback.replace('/auth/callback', '/auth/connect-client/callback')),
    ]);
    const crossFlow = await callbackFromGoogle(ann, '/auth/connect-client', 'ann@client.example');
    attempts.push([
      'cross-flow state',
      await ann.get(crossFlow.replace('/auth/connect-client/callback', '/auth/connect-personal/callback')),
    ]);
    for (const state of ['', 'x', 'A'.repeat(10_000)])
      attempts.push([
        `state ${state.slice(0, 10)}`,
        await ann.get(`/auth/connect-client/callback?code=abc&state=${state}`),
      ]);
    for (const [name, res] of attempts) {
      expect([name, res.status]).toEqual([name, 400]);
      expect([name, res.headers.get('location')]).toEqual([name, null]);
    }
    expect(changedTables(before, await settledDump())).toEqual([]);
    expect((await annHttp.json('GET', '/api/accounts')).status).toBe(200);
  });
});

/** Where a `next` may send the browser: a path on this origin, nothing else. */
export const REDIRECT_VECTORS = [
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  'https://evil.example',
  'http://evil.example',
  'HTTPS://evil.example',
  'https:evil.example',
  'http:/evil.example',
  'http:\\\\evil.example',
  'https:/\\evil.example',
  'ftp://evil.example',
  '//evil.example/%2f..',
  '/%2f%2fevil.example',
  '/%5cevil.example',
  '%2f%2fevil.example',
  '/%2F%2Fevil.example',
  '/%5C%5Cevil.example',
  '//%5cevil.example',
  '/%25%32%66%25%32%66evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.cookie)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '@evil.example',
  'evil.example',
  '//evil.example@home.example',
  '/app@evil.example',
  '//user:pass@evil.example',
  'https://127.0.0.1@evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%09/evil.example',
  '/%0d%0aLocation:%20https://evil.example',
  '/app%0d%0aSet-Cookie:%20bb_session=x',
  ' //evil.example',
  '\t//evil.example',
  '\u0000//evil.example',
  '/\u0000//evil.example',
  '/..//evil.example',
  '/app/../..//evil.example',
  '/%2e%2e//evil.example',
  '///\\;@evil.example',
  '//google.com%2f@evil.example',
  '//evil\u3002example',
  '/\u2215evil.example',
  '/\uff0fevil.example',
  '//\u24d4\u24e5\u24d8\u24db.example',
  '//[::1]/',
  '//0x7f.1/',
  '//evil.example%00.home.example',
  'https://home.example.evil.example',
  `/${'a'.repeat(600)}`,
  '/app/settings#//evil.example',
];

/** Same origin as the product, and a plain path with no way to be read as a host. */
function sameOrigin(location: string | null, base: string): boolean {
  if (!location) return false;
  if (!location.startsWith('/') || location.startsWith('//') || location.startsWith('/\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(location)) return false;
  return new URL(location, base).origin === new URL(base).origin;
}

describe('open redirects', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    await completeWizard(world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`sends the browser nowhere but this origin for ${REDIRECT_VECTORS.length} next vectors, through every route that reads one`, async () => {
    expect(REDIRECT_VECTORS.length).toBeGreaterThanOrEqual(50);
    const base = world.product.url;
    const failures: string[] = [];
    const signedIn = new CookieClient(base);
    await signInWithGoogle(signedIn, world.fake, ANN);
    let cases = 0;
    for (const vector of REDIRECT_VECTORS) {
      const next = encodeURIComponent(vector);
      // 1. The login page's button (signed out) -> /auth/login?next= -> Google -> callback -> final location.
      const visitor = new CookieClient(base);
      const page = await visitor.get(`/app/login?next=${next}`);
      const href = /href="([^"]*)"[^>]*data-testid="sign-in"/
        .exec(await page.text())?.[1]
        ?.replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
      if (page.status !== 200 || !href || !sameOrigin(href, base))
        failures.push(`login page for ${JSON.stringify(vector)}: ${page.status} ${href}`);
      const viaPage = await signInWithGoogle(visitor, world.fake, ANN, href ?? '/auth/login');
      if (!sameOrigin(viaPage.location, base))
        failures.push(`login page -> sign-in for ${JSON.stringify(vector)}: ${viaPage.location}`);
      // 2. /auth/login?next= directly.
      const direct = await signInWithGoogle(new CookieClient(base), world.fake, ANN, `/auth/login?next=${next}`);
      if (!sameOrigin(direct.location, base))
        failures.push(`/auth/login for ${JSON.stringify(vector)}: ${direct.location}`);
      // 3. A signed-in visit to the login page redirects at once.
      const res = await signedIn.get(`/app/login?next=${next}`);
      if (res.status !== 302 || !sameOrigin(res.headers.get('location'), base))
        failures.push(
          `signed-in /app/login for ${JSON.stringify(vector)}: ${res.status} ${res.headers.get('location')}`,
        );
      // 4. The consent retry (Google sent no refresh token) carries next through /auth/login again.
      const retry = await signInWithGoogle(
        new CookieClient(base),
        world.fake,
        ANN,
        `/auth/login?prompt=consent&next=${next}`,
      );
      if (!sameOrigin(retry.location, base))
        failures.push(`consent retry for ${JSON.stringify(vector)}: ${retry.location}`);
      cases += 4;
    }
    // 5. An anonymous visit to a page sends to the login page with next = that page, never elsewhere.
    for (const vector of REDIRECT_VECTORS) {
      const path = `/app/settings?x=${encodeURIComponent(vector)}`;
      const res = await fetch(`${base}${path}`, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !sameOrigin(location, base) || !location!.startsWith('/app/login?next='))
        failures.push(`guard redirect for ${JSON.stringify(vector)}: ${res.status} ${location}`);
      cases++;
    }
    expect(failures).toEqual([]);
    process.stdout.write(`open redirects: ${REDIRECT_VECTORS.length} vectors, ${cases} cases\n`);
  });
});
