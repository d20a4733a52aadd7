import { DataSource } from 'typeorm';
import { OAuthToken } from '../../src/database/entities';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization } from '../support/calendar-session';
import { CookieClient } from '../support/cookie-client';
import { HttpSession } from '../support/http-session';
import { RunningProduct, startProduct, TEST_SETUP_TOKEN } from '../support/product';
import { sessionCookie, SecurityWorld } from './support';

jest.setTimeout(120_000);

/**
 * Cookie tossing: whoever controls a sibling subdomain can set cookies for the parent domain, for any path.
 * With an https PUBLIC_URL every cookie is `__Host-` (which no other host can set); whatever the scheme, a
 * cookie sent twice counts as none, the CSRF token is worthless outside its session, and a connect callback is
 * finished only by the session that started it.
 */
describe('cookie tossing', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
    world.fake.control.seed({
      accounts: [{ email: 'ann@tossed.example' }],
      calendars: [{ id: 'ann@tossed.example', summary: 'Tossed', owner: 'ann@tossed.example' }],
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  const tokensOf = (email: string) =>
    world.app.get(DataSource).getRepository(OAuthToken).findBy({ googleAccountEmail: email });

  /** Ann starts a connect flow in her browser; returns the product's callback URL as Google sends it back. */
  async function startConnect(session: HttpSession, email: string): Promise<string> {
    const start = await session.get('/auth/connect-client');
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('login_hint', email);
    const google = await fetch(authorize, { redirect: 'manual' });
    return google.headers.get('location')!;
  }

  async function callback(url: string, cookie: string): Promise<Response> {
    return fetch(url, { headers: { cookie, accept: 'application/json' }, redirect: 'manual' });
  }

  it('two bb_session cookies (the planted one first) cannot move a connect flow to the planter', async () => {
    const ann = await sessionCookie(world.app, world.ann);
    const ben = await sessionCookie(world.app, world.ben);
    // The planter's cookie on the callback path, the victim's own after it.
    const back = await startConnect(new HttpSession(world.product.url, ann), 'ann@tossed.example');
    const both = await callback(back, `${ben}; ${ann}`);
    expect([401, 302]).toContain(both.status);
    if (both.status === 302) expect(both.headers.get('location')).toMatch(/^\/app\/login/);
    // Planted for the whole flow: no session, so no flow starts at all.
    const planted = await fetch(`${world.product.url}/auth/connect-client`, {
      headers: { cookie: `${ben}; ${ann}` },
      redirect: 'manual',
    });
    expect(planted.headers.get('location')).toMatch(/^\/app\/login/);
    expect(await tokensOf('ann@tossed.example')).toEqual([]);
  });

  it('a connect callback is finished only by the session that started it', async () => {
    const back = await startConnect(await world.session(world.ann), 'ann@tossed.example');
    // Another user, and another session of the same user (a second browser), are both refused.
    expect((await callback(back, await sessionCookie(world.app, world.ben))).status).toBe(400);
    const back2 = await startConnect(await world.session(world.ann), 'ann@tossed.example');
    expect((await callback(back2, await sessionCookie(world.app, world.ann))).status).toBe(400);
    expect(await tokensOf('ann@tossed.example')).toEqual([]);
    // The control: the same browser finishes its own flow.
    const own = await world.session(world.ann);
    const back3 = await startConnect(own, 'ann@tossed.example');
    const done = await own.get(back3);
    expect(done.headers.get('location')).toMatch(/^\/app\/connect\?account=\d+$/);
    expect((await tokensOf('ann@tossed.example')).map((t) => t.userId)).toEqual([world.ann.id]);
  });

  it('a CSRF seed and token planted by someone else are refused in the victim session', async () => {
    // The attacker fetches a token for a seed of their own, then plants that seed in the victim's browser.
    const attacker = new CookieClient(world.product.url);
    const attackerToken = await attacker.csrfToken();
    const seed = attacker.cookies.get('bb_csrf')!;
    const victim = await sessionCookie(world.app, world.ann);
    const forged = await fetch(`${world.product.url}/api/me/alert-preferences`, {
      method: 'PUT',
      headers: {
        cookie: `${victim}; bb_csrf=${seed}`,
        'x-csrf-token': attackerToken,
        'content-type': 'application/json',
      },
      body: '{"emailAlerts":false}',
    });
    expect(forged.status).toBe(403);
    // Two seeds (the planted one first) are no seed at all, even with the victim's own token.
    const own = new HttpSession(world.product.url, victim);
    const ownToken = ((await (await own.get('/api/csrf')).json()) as { token: string }).token;
    const ownSeed = own.cookieHeader().match(/bb_csrf=([^;]+)/)![1];
    const twice = await fetch(`${world.product.url}/api/me/alert-preferences`, {
      method: 'PUT',
      headers: {
        cookie: `${victim}; bb_csrf=${seed}; bb_csrf=${ownSeed}`,
        'x-csrf-token': ownToken,
        'content-type': 'application/json',
      },
      body: '{"emailAlerts":false}',
    });
    expect(twice.status).toBe(403);
    const single = await fetch(`${world.product.url}/api/me/alert-preferences`, {
      method: 'PUT',
      headers: {
        cookie: `${victim}; bb_csrf=${ownSeed}`,
        'x-csrf-token': ownToken,
        'content-type': 'application/json',
      },
      body: '{"emailAlerts":true}',
    });
    expect(single.status).toBe(200);
  });
});

describe('with an https PUBLIC_URL every cookie is __Host-', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  const PUBLIC = 'https://calendar-sync.example.com';
  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url, PUBLIC_URL: PUBLIC });
  });
  afterAll(async () => {
    await product?.close();
    await fake?.close();
  });

  const hostOnly = (line: string) =>
    /^__Host-/.test(line) && /;\s*Secure/i.test(line) && /;\s*Path=\/(;|$)/i.test(line) && !/;\s*Domain=/i.test(line);

  it('the CSRF, wizard, sign-in state and session cookies', async () => {
    const seen: string[] = [];
    const client = new CookieClient(product.url);
    const remember = (res: Response) => seen.push(...res.headers.getSetCookie());
    remember(await client.request('/api/csrf'));
    remember(await client.postJson('/setup/step/1', { setupToken: TEST_SETUP_TOKEN }));
    await prepareOrganization(product, fake, 'home.example');
    fake.control.seed({ accounts: [{ email: 'ann@home.example' }] });
    const login = await client.get('/auth/login');
    remember(login);
    const authorize = new URL(login.headers.get('location')!);
    authorize.searchParams.set('login_hint', 'ann@home.example');
    const back = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    const signedIn = await client.get(back.replace(PUBLIC, ''));
    remember(signedIn);
    expect(signedIn.headers.get('location')).toBe('/app');
    const names = [...new Set(seen.map((l) => l.split('=')[0]))].sort();
    expect(names).toEqual(['__Host-bb_csrf', '__Host-bb_oauth_state', '__Host-bb_session', '__Host-bb_setup']);
    expect(seen.filter((l) => !hostOnly(l))).toEqual([]);
    // The unprefixed name (which a sibling could set) is not read at all.
    const session = client.cookies.get('__Host-bb_session')!;
    expect((await fetch(`${product.url}/api/me`, { headers: { cookie: `bb_session=${session}` } })).status).toBe(401);
    expect((await fetch(`${product.url}/api/me`, { headers: { cookie: `__Host-bb_session=${session}` } })).status).toBe(
      200,
    );
  });
});
