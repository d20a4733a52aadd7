import { generateKeyPairSync, createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { User } from '../../src/database/entities';
import { CookieClient } from '../support/cookie-client';
import { HttpSession } from '../support/http-session';
import { completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';
import { SecurityWorld } from './support';

jest.setTimeout(120_000);

/**
 * Sessions (ASVS V7): a server-checked session version ends every copy of a session at its very next
 * request after logout, removal, demotion or forced re-authentication; cookie flags; the JWT algorithm pinned.
 */
describe('ending sessions', () => {
  let world: SecurityWorld;
  beforeAll(async () => {
    world = await SecurityWorld.start();
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Two devices of `user`, both signed in and working. */
  async function twoDevices(user: User, check = '/api/me'): Promise<[HttpSession, HttpSession]> {
    const devices = [await world.session(user), await world.session(user)] as [HttpSession, HttpSession];
    for (const d of devices) expect((await d.json('GET', check)).status).toBe(200);
    return devices;
  }

  it('logout ends every session of the user at the next request, and no one else’s', async () => {
    const [phone, laptop] = await twoDevices(world.ann);
    const ben = await world.session(world.ben);
    const out = await phone.json('POST', '/auth/logout');
    expect(out.status).toBe(200);
    expect((await phone.json('GET', '/api/me')).status).toBe(401);
    expect((await laptop.json('GET', '/api/me')).status).toBe(401);
    expect((await laptop.request('GET', '/app')).headers.get('location')).toMatch(/^\/app\/login/);
    expect((await ben.json('GET', '/api/me')).status).toBe(200);
  });

  it('removing a user ends their sessions at the next request', async () => {
    const victim = await world.freshUser('removed');
    const [a, b] = await twoDevices(victim);
    const admin = await world.session(world.ada);
    expect((await admin.json('DELETE', `/api/admin/users/${victim.id}`)).status).toBe(200);
    expect((await a.json('GET', '/api/me')).status).toBe(401);
    expect((await b.json('GET', '/app/settings')).status).toBe(302);
  });

  it('demoting an admin ends their sessions: the old cookie no longer reaches the admin API', async () => {
    const deputy = await world.freshUser('deputy');
    const admin = await world.session(world.ada);
    expect((await admin.json('PUT', `/api/admin/users/${deputy.id}/admin`, { isAdmin: true })).status).toBe(200);
    const [a, b] = await twoDevices(deputy, '/api/admin/health');
    expect((await admin.json('PUT', `/api/admin/users/${deputy.id}/admin`, { isAdmin: false })).status).toBe(200);
    expect((await a.json('GET', '/api/admin/health')).status).toBe(401);
    expect((await b.json('GET', '/api/me')).status).toBe(401);
    // Signing in again gives a plain user.
    const again = await world.session(deputy);
    expect((await again.json('GET', '/api/admin/health')).status).toBe(403);
  });

  it('forcing re-authentication ends the sessions at the next request', async () => {
    const [a, b] = await twoDevices(world.ben);
    const admin = await world.session(world.ada);
    expect((await admin.json('POST', `/api/admin/users/${world.ben.id}/force-reauth`)).status).toBe(200);
    expect((await a.json('GET', '/api/me')).status).toBe(401);
    expect((await b.json('GET', '/api/client-calendars')).status).toBe(401);
  });

  describe('the JWT algorithm is pinned to HS256 with our secret', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = () => ({
      sub: String(world.ada.id),
      ver: world.ada.sessionVersion,
      sid: 'forged-session-id',
      sia: Math.floor(Date.now() / 1000),
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const secret = () => world.app.get(EncryptionService).sessionSecret();
    const hmac = (alg: 'sha256' | 'sha384' | 'sha512', header: object, payload: object, key: Uint8Array | string) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${createHmac(alg, key).update(input).digest('base64url')}`;
    };

    it('refuses alg none, HS384/HS512, RS256 and RS256/HS256 confusion, wrong keys and forged claims', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
      const forged: Array<[string, string]> = [
        ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
        ['alg NONE', `${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(claims())}.`],
        ['alg none with a signature', `${b64({ alg: 'none' })}.${b64(claims())}.${'A'.repeat(43)}`],
        ['no alg', `${b64({ typ: 'JWT' })}.${b64(claims())}.${'A'.repeat(43)}`],
        ['HS384 with our secret', hmac('sha384', { alg: 'HS384', typ: 'JWT' }, claims(), secret())],
        ['HS512 with our secret', hmac('sha512', { alg: 'HS512', typ: 'JWT' }, claims(), secret())],
        [
          'RS256 with an attacker key',
          await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey),
        ],
        [
          'RS256 header, HMAC signature with our secret',
          hmac('sha256', { alg: 'RS256', typ: 'JWT' }, claims(), secret()),
        ],
        ['HS256 keyed with an RSA public key', hmac('sha256', { alg: 'HS256', typ: 'JWT' }, claims(), publicPem)],
        ['HS256 with a guessed secret', hmac('sha256', { alg: 'HS256', typ: 'JWT' }, claims(), 'secret')],
        ['HS256 with an empty secret', hmac('sha256', { alg: 'HS256', typ: 'JWT' }, claims(), '')],
        [
          'our token, payload swapped to another user',
          (() => {
            const real = hmac(
              'sha256',
              { alg: 'HS256', typ: 'JWT' },
              { ...claims(), sub: String(world.ann.id) },
              secret(),
            ).split('.');
            return `${real[0]}.${b64(claims())}.${real[2]}`;
          })(),
        ],
        [
          'our secret, stale session version',
          hmac('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims(), ver: world.ada.sessionVersion - 1 }, secret()),
        ],
        [
          'our secret, user that does not exist',
          hmac('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims(), sub: '2147483000' }, secret()),
        ],
        [
          'our secret, sub injection',
          hmac('sha256', { alg: 'HS256', typ: 'JWT' }, { ...claims(), sub: `${world.ada.id} OR 1=1` }, secret()),
        ],
        [
          'our secret, expired',
          hmac(
            'sha256',
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), exp: Math.floor(Date.now() / 1000) - 10 },
            secret(),
          ),
        ],
        [
          'our secret, issued in the future',
          hmac(
            'sha256',
            { alg: 'HS256', typ: 'JWT' },
            { ...claims(), nbf: Math.floor(Date.now() / 1000) + 3600 },
            secret(),
          ),
        ],
        [
          'our secret, crit header',
          hmac('sha256', { alg: 'HS256', crit: ['x-evil'], 'x-evil': true }, claims(), secret()),
        ],
        ['garbage', 'not.a.jwt'],
        ['empty', ''],
        ['huge', 'A'.repeat(4000)],
      ];
      // The control: the same construction with the right algorithm and secret is accepted.
      const good = hmac('sha256', { alg: 'HS256', typ: 'JWT' }, claims(), secret());
      expect(
        (await new HttpSession(world.product.url, `bb_session=${good}`).json('GET', '/api/admin/health')).status,
      ).toBe(200);
      const accepted: string[] = [];
      for (const [name, token] of forged) {
        const s = new HttpSession(world.product.url, `bb_session=${token}`);
        const api = await s.json('GET', '/api/admin/health');
        const page = await s.request('GET', '/admin');
        if (api.status !== 401 || page.status !== 302) accepted.push(`${name}: ${api.status}/${page.status}`);
      }
      expect(accepted).toEqual([]);
      expect(forged.length).toBe(21);
    });
  });
});

/** A browser behind the reverse proxy on loopback (trusted), or coming straight in. */
class Browser extends CookieClient {
  readonly setCookies: string[] = [];
  constructor(
    base: string,
    private readonly extra: Record<string, string> = {},
  ) {
    super(base);
  }
  override request(path: string, init: Parameters<CookieClient['request']>[1] = {}): Promise<Response> {
    return super.request(path, { ...init, headers: { ...this.extra, ...(init.headers ?? {}) } });
  }
  override remember(res: Response): void {
    this.setCookies.push(...res.headers.getSetCookie());
    super.remember(res);
  }
  sessionCookie(): string | undefined {
    return this.setCookies.filter((c) => c.startsWith('bb_session=') && !c.startsWith('bb_session=;')).pop();
  }
}

describe('session cookie flags after a real sign-in', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    await completeWizard(world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('HttpOnly, SameSite=Lax, Path=/, 7 days; Secure behind https (X-Forwarded-Proto from the trusted proxy)', async () => {
    const viaProxy = new Browser(world.product.url, { 'x-forwarded-proto': 'https' });
    expect((await signInWithGoogle(viaProxy, world.fake, `ann@${DOMAIN}`)).location).toBe('/app');
    const cookie = viaProxy.sessionCookie()!;
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*Max-Age=604800/i);
    // Every cookie we set (state, CSRF seed) carries the same flags.
    for (const c of viaProxy.setCookies.filter((c) => !/=;/.test(c)))
      expect([c.split('=')[0], /HttpOnly/i.test(c), /Secure/i.test(c), /SameSite=Lax/i.test(c)]).toEqual([
        c.split('=')[0],
        true,
        true,
        true,
      ]);
    const res = await viaProxy.get('/app');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });

  it('plain http (no proxy, http PUBLIC_URL): HttpOnly and SameSite=Lax, but not Secure', async () => {
    const direct = new Browser(world.product.url);
    expect((await signInWithGoogle(direct, world.fake, `ann@${DOMAIN}`)).location).toBe('/app');
    const cookie = direct.sessionCookie()!;
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('logout clears the cookie and the copied cookie stops working', async () => {
    const browser = new Browser(world.product.url);
    await signInWithGoogle(browser, world.fake, `ann@${DOMAIN}`);
    const copied = browser.cookies.get('bb_session')!;
    const out = await browser.request('/auth/logout', {
      method: 'POST',
      csrf: true,
      headers: { accept: 'application/json' },
    });
    expect(out.status).toBe(200);
    expect(
      out.headers.getSetCookie().some((c) => /^bb_session=;/.test(c) || /^bb_session=[^;]*;.*Max-Age=0/i.test(c)),
    ).toBe(true);
    const thief = new CookieClient(world.product.url);
    thief.cookies.set('bb_session', copied);
    expect((await thief.getJson('/api/me')).status).toBe(401);
  });
});
