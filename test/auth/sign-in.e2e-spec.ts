import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { SyncService } from '../../src/sync/sync.service';
import { CookieClient } from '../support/cookie-client';
import { completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';

describe('sign-in with Google for the home domain', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    world.fake.control.seed({
      accounts: [
        { email: `bob@${DOMAIN}`, name: 'Bob Home' },
        { email: `ben@${DOMAIN}`, name: 'Ben Home' },
        { email: `una@${DOMAIN}`, name: 'Una Unverified', emailVerified: false },
        { email: `sam@sub.${DOMAIN}`, name: 'Sam Subdomain' },
        { email: `${DOMAIN}@gmail.example`, name: 'Look Alike', hd: null },
        { email: `ann@${DOMAIN}.evil.example`, name: 'Ann Evil', hd: null },
        { email: `tim@${DOMAIN}`, name: 'Tim Tampered' },
      ],
    });
    await completeWizard(world);
  });
  afterAll(async () => {
    await world.close();
  });

  async function userCount(email: string): Promise<number> {
    const rows = await world.product.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM users WHERE lower(email) = lower(?)', [email]);
    return Number(rows[0].n);
  }

  async function refused(email: string, code: string): Promise<void> {
    const client = new CookieClient(world.product.url);
    const result = await signInWithGoogle(client, world.fake, email);
    expect([email, result.location]).toEqual([email, `/app/login?error=${code}`]);
    expect(client.cookies.has('bb_session')).toBe(false);
    expect((await client.getJson('/api/me')).status).toBe(401);
    const page = await client.get(result.location);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/data-testid="error">[^<]+</);
  }

  it('signs a domain user in on first visit, creating the account with sealed home tokens and the main calendar', async () => {
    const client = new CookieClient(world.product.url);
    const result = await signInWithGoogle(client, world.fake, `ann@${DOMAIN}`, '/auth/login?next=%2Fapp%2Fsettings');
    expect(result.location).toBe('/app/settings');
    const me = await client.getJson('/api/me');
    expect(await me.json()).toMatchObject({
      email: `ann@${DOMAIN}`,
      displayName: 'Ann Home',
      isAdmin: false,
      mainCalendarId: `ann@${DOMAIN}`,
    });
    const ds = world.product.app.get(DataSource);
    const [token] = await ds.query(
      'SELECT t.* FROM oauth_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ?',
      [`ann@${DOMAIN}`],
    );
    expect(token.account_type).toBe('home');
    const encryption = world.product.app.get(EncryptionService);
    expect(encryption.decrypt(token.refresh_token_encrypted)).toMatch(/\S{10,}/);
    const [main] = await ds.query(
      'SELECT c.calendar_type, c.google_calendar_id FROM client_calendars c JOIN users u ON u.id = c.user_id WHERE u.email = ?',
      [`ann@${DOMAIN}`],
    );
    expect(main).toEqual({ calendar_type: 'main', google_calendar_id: `ann@${DOMAIN}` });

    // A second sign-in (Google sends no new refresh token) reuses the account.
    const again = new CookieClient(world.product.url);
    expect((await signInWithGoogle(again, world.fake, `ann@${DOMAIN}`)).location).toBe('/app');
    expect(await userCount(`ann@${DOMAIN}`)).toBe(1);
  });

  it('asks Google for consent again when a new account arrives without a refresh token', async () => {
    const client = new CookieClient(world.product.url);
    expect((await signInWithGoogle(client, world.fake, `ben@${DOMAIN}`)).location).toBe('/app');
    // The account disappears here (as after a factory reset) but Google still remembers the grant.
    // Through the one write path, after the sign-in's background sync: a raw query on the shared SQLite
    // connection could land inside that sync's open transaction and be rolled back with it.
    await world.product.app.get(SyncService).onIdle();
    await world.product.app.get(DatabaseService).write(async (m) => {
      await m.query('DELETE FROM webhook_channels WHERE user_id = (SELECT id FROM users WHERE email = ?)', [
        `ben@${DOMAIN}`,
      ]);
      await m.query('DELETE FROM client_calendars WHERE user_id = (SELECT id FROM users WHERE email = ?)', [
        `ben@${DOMAIN}`,
      ]);
      await m.query('DELETE FROM users WHERE email = ?', [`ben@${DOMAIN}`]);
    });
    expect(await userCount(`ben@${DOMAIN}`)).toBe(0);
    const again = new CookieClient(world.product.url);
    const result = await signInWithGoogle(again, world.fake, `ben@${DOMAIN}`);
    expect(result.location).toBe('/app');
    expect(result.statuses).toEqual([302, 302, 302, 302]);
    expect(await (await again.getJson('/api/me')).json()).toMatchObject({ email: `ben@${DOMAIN}` });
  });

  it('admits any user of the domain case-insensitively', async () => {
    world.fake.control.setNextIdToken(`bob@${DOMAIN}`, {
      claims: { email: `Bob@${DOMAIN.toUpperCase()}`, hd: 'Home.Example' },
    });
    const client = new CookieClient(world.product.url);
    expect((await signInWithGoogle(client, world.fake, `BOB@${DOMAIN.toUpperCase()}`)).location).toBe('/app');
    expect(await (await client.getJson('/api/me')).json()).toMatchObject({ email: `bob@${DOMAIN}` });
  });

  it('refuses another Workspace domain', async () => {
    await refused('cat@client.example', 'domain');
    expect(await userCount('cat@client.example')).toBe(0);
  });

  it('refuses consumer accounts with look-alike emails', async () => {
    await refused(`${DOMAIN}@gmail.example`, 'consumer');
    await refused(`ann@${DOMAIN}.evil.example`, 'consumer');
    // A consumer account whose ID token claims a home address but has no hd.
    world.fake.control.setNextIdToken('eve@gmail.example', { claims: { email: `eve@${DOMAIN}`, hd: null } });
    await refused('eve@gmail.example', 'consumer');
    expect(await userCount(`eve@${DOMAIN}`)).toBe(0);
  });

  it('refuses an unverified email', async () => {
    await refused(`una@${DOMAIN}`, 'unverified');
    expect(await userCount(`una@${DOMAIN}`)).toBe(0);
  });

  it(`refuses user@sub.${DOMAIN} when the domain is ${DOMAIN}`, async () => {
    await refused(`sam@sub.${DOMAIN}`, 'domain');
    // Even when the ID token's hd says the home domain, the email's own domain must match.
    world.fake.control.setNextIdToken(`sam@sub.${DOMAIN}`, { claims: { hd: DOMAIN } });
    await refused(`sam@sub.${DOMAIN}`, 'domain');
    expect(await userCount(`sam@sub.${DOMAIN}`)).toBe(0);
  });

  it('trusts the ID token only: a userinfo answer claiming the home domain does not help', async () => {
    world.fake.control.setUserinfoOverride('cat@client.example', {
      hd: DOMAIN,
      email: `cat@${DOMAIN}`,
      email_verified: true,
    });
    try {
      await refused('cat@client.example', 'domain');
    } finally {
      world.fake.control.setUserinfoOverride('cat@client.example', null);
    }
    // An ID token signed with a key Google does not publish, or naming another subject than userinfo.
    world.fake.control.setNextIdToken(`tim@${DOMAIN}`, { signWith: 'untrusted' });
    await refused(`tim@${DOMAIN}`, 'google');
    world.fake.control.setNextIdToken(`tim@${DOMAIN}`, { claims: { sub: '12345678901234567890' } });
    await refused(`tim@${DOMAIN}`, 'google');
    expect(await userCount(`tim@${DOMAIN}`)).toBe(0);
  });

  it('refuses a known email arriving with a new Google account (new sub), never linking them', async () => {
    const client = new CookieClient(world.product.url);
    expect((await signInWithGoogle(client, world.fake, `ann@${DOMAIN}`)).location).toBe('/app');
    world.fake.control.setNextIdToken(`ann@${DOMAIN}`, { claims: { sub: '99999999999999999999' } });
    world.fake.control.setUserinfoOverride(`ann@${DOMAIN}`, { sub: '99999999999999999999' });
    try {
      await refused(`ann@${DOMAIN}`, 'account-mismatch');
    } finally {
      world.fake.control.setUserinfoOverride(`ann@${DOMAIN}`, null);
    }
    const rows = await world.product.app
      .get(DataSource)
      .query('SELECT google_user_id FROM users WHERE email = ?', [`ann@${DOMAIN}`]);
    expect(rows).toHaveLength(1);
    expect(rows[0].google_user_id).not.toBe('99999999999999999999');
  });

  describe('state', () => {
    /** Runs the first leg and Google's, returning the callback path the browser would open. */
    async function callbackFor(client: CookieClient, email: string): Promise<string> {
      const login = await client.get('/auth/login');
      expect(login.status).toBe(302);
      const google = new URL(login.headers.get('location')!);
      expect(google.origin + google.pathname).toBe(`${world.fake.url}/o/oauth2/v2/auth`);
      expect(Object.fromEntries(google.searchParams)).toMatchObject({
        access_type: 'offline',
        hd: DOMAIN,
        response_type: 'code',
        redirect_uri: `${world.product.url}/auth/callback`,
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        code_challenge_method: 'S256',
        scope: expect.stringMatching(/^openid email profile https:\/\/www\.googleapis\.com\/auth\/calendar/),
      });
      google.searchParams.set('login_hint', email);
      const back = await fetch(google, { redirect: 'manual' });
      return back.headers.get('location')!.replace(world.product.url, '');
    }

    it('refuses a tampered state', async () => {
      const client = new CookieClient(world.product.url);
      const callback = new URL(await callbackFor(client, `bob@${DOMAIN}`), world.product.url);
      const state = callback.searchParams.get('state')!;
      callback.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
      const res = await client.get(callback.pathname + callback.search);
      expect(res.headers.get('location')).toBe('/app/login?error=state');
      expect(client.cookies.has('bb_session')).toBe(false);
    });

    it('refuses a replayed state, even with its cookie', async () => {
      const client = new CookieClient(world.product.url);
      const callback = await callbackFor(client, `bob@${DOMAIN}`);
      const stateCookie = client.cookies.get('bb_oauth_state')!;
      const first = await client.get(callback);
      expect(first.headers.get('location')).toBe('/app');
      const attacker = new CookieClient(world.product.url);
      attacker.cookies.set('bb_oauth_state', stateCookie);
      const replay = await attacker.get(callback);
      expect(replay.headers.get('location')).toBe('/app/login?error=state');
      expect(attacker.cookies.has('bb_session')).toBe(false);
    });

    it('refuses a state presented by another browser', async () => {
      const victim = new CookieClient(world.product.url);
      const callback = await callbackFor(victim, `bob@${DOMAIN}`);
      const other = new CookieClient(world.product.url);
      expect((await other.get(callback)).headers.get('location')).toBe('/app/login?error=state');
      expect(other.cookies.has('bb_session')).toBe(false);
      // The victim's own attempt still works: the foreign attempt did not use it up.
      expect((await victim.get(callback)).headers.get('location')).toBe('/app');
    });

    it('refuses a callback without code or state, and a denied consent', async () => {
      const client = new CookieClient(world.product.url);
      expect((await client.get('/auth/callback')).headers.get('location')).toBe('/app/login?error=state');
      await client.get('/auth/login');
      const state = client.cookies.get('bb_oauth_state')!;
      expect((await client.get(`/auth/callback?error=access_denied&state=${state}`)).headers.get('location')).toBe(
        '/app/login?error=denied',
      );
    });
  });

  describe('sessions', () => {
    async function signedIn(email: string): Promise<CookieClient> {
      const client = new CookieClient(world.product.url);
      expect((await signInWithGoogle(client, world.fake, email)).location).toBe('/app');
      return client;
    }

    it('refuses a tampered session cookie', async () => {
      const client = await signedIn(`bob@${DOMAIN}`);
      const token = client.cookies.get('bb_session')!;
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
      for (const bad of [`${header}.${forged}.${signature}`, `${token.slice(0, -2)}xx`, `${header}.${payload}.`]) {
        client.cookies.set('bb_session', bad);
        expect((await client.getJson('/api/me')).status).toBe(401);
      }
    });

    it('refuses an expired session cookie', async () => {
      const client = await signedIn(`bob@${DOMAIN}`);
      const claims = JSON.parse(Buffer.from(client.cookies.get('bb_session')!.split('.')[1], 'base64url').toString());
      const longAgo = Math.floor(Date.now() / 1000) - 8 * 86400;
      const expired = await new SignJWT({ ver: claims.ver, sid: claims.sid, sia: longAgo })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuedAt(longAgo)
        .setExpirationTime(longAgo + 7 * 86400)
        .sign(world.product.app.get(EncryptionService).sessionSecret());
      client.cookies.set('bb_session', expired);
      expect((await client.getJson('/api/me')).status).toBe(401);
    });

    it('logout needs the CSRF token, then ends the session server-side', async () => {
      const client = await signedIn(`bob@${DOMAIN}`);
      const cookie = client.cookies.get('bb_session')!;
      const noToken = await client.request('/auth/logout', { method: 'POST', json: {} });
      expect(noToken.status).toBe(403);
      expect((await client.getJson('/api/me')).status).toBe(200);
      const out = await client.request('/auth/logout', { method: 'POST', json: {}, csrf: true });
      expect(out.status).toBe(200);
      expect(client.cookies.has('bb_session')).toBe(false);
      // A copy of the old cookie is dead too.
      client.cookies.set('bb_session', cookie);
      expect((await client.getJson('/api/me')).status).toBe(401);
    });
  });

  it('shows the login page with the domain restriction, readable errors and strict headers', async () => {
    const res = await fetch(`${world.product.url}/app/login?error=domain`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`Only <strong>@${DOMAIN}</strong> accounts can sign in.`);
    expect(html).toContain('That Google account does not belong to this organization.');
    expect(html).toContain('Sign in with Google');
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect([...html.matchAll(/<script([^>]*)>/g)].every((m) => m[1].includes(`nonce="${nonce}"`))).toBe(true);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Unknown error codes are not echoed.
    const odd = await (await fetch(`${world.product.url}/app/login?error=%3Cscript%3Ealert(1)%3C/script%3E`)).text();
    expect(odd).toContain('Sign-in failed. Please try again.');
    expect(odd).not.toContain('<script>alert(1)');
  });
});

describe('rate limiting', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    await completeWizard(world);
  });
  afterAll(async () => {
    await world.close();
  });

  it('answers a flood of login attempts with 429 in the API error shape, while other routes still work', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++)
      statuses.push((await fetch(`${world.product.url}/auth/login`, { redirect: 'manual' })).status);
    expect(statuses.slice(0, 100).every((s) => s === 302)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(25);
    const limited = await fetch(`${world.product.url}/auth/login`, { redirect: 'manual' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: 'Too many requests: wait a minute and try again' });
    expect((await fetch(`${world.product.url}/health`)).status).toBe(200);
  });
});
