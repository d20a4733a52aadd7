import { SignJWT } from 'jose';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { CookieClient } from '../support/cookie-client';
import { completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';

const DAY = 86400;

/**
 * A session ends 7 days after its last use, and never later than SESSION_MAX_DAYS after its sign-in, however
 * often it is used: the daily re-issue keeps the session's id and sign-in time, so it cannot reset the clock.
 */
describe('the absolute session lifetime (SESSION_MAX_DAYS)', () => {
  let world: World;
  let bob: CookieClient;
  beforeAll(async () => {
    world = await startWorld({ SESSION_MAX_DAYS: '10' });
    world.fake.control.seed({ accounts: [{ email: `bob@${DOMAIN}`, name: 'Bob Home' }] });
    await completeWizard(world);
    bob = new CookieClient(world.product.url);
    expect((await signInWithGoogle(bob, world.fake, `bob@${DOMAIN}`)).location).toBe('/app');
  });
  afterAll(async () => {
    await world.close();
  });

  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      sub: string;
      ver: number;
      sid: string;
      sia: number;
      iat: number;
      exp: number;
    };

  /** Bob's session as if signed in `signedInDaysAgo` days ago and last re-issued `issuedHoursAgo` hours ago. */
  async function agedSession(signedInDaysAgo: number, issuedHoursAgo: number): Promise<string> {
    const real = claimsOf(bob.cookies.get('bb_session')!);
    const now = Math.floor(Date.now() / 1000);
    const iat = now - issuedHoursAgo * 3600;
    return new SignJWT({ ver: real.ver, sid: real.sid, sia: now - signedInDaysAgo * DAY })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(real.sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 7 * DAY)
      .sign(world.product.app.get(EncryptionService).sessionSecret());
  }

  it('a fresh sign-in expires at the earlier of 7 idle days and the maximum', () => {
    const claims = claimsOf(bob.cookies.get('bb_session')!);
    expect(claims.exp - claims.iat).toBe(7 * DAY);
    expect(claims.sia).toBe(claims.iat);
    expect(claims.sid).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('a session used every day is refused once it is older than the maximum', async () => {
    const used = await agedSession(10.5, 2);
    const res = await fetch(`${world.product.url}/api/me`, { headers: { cookie: `bb_session=${used}` } });
    expect(res.status).toBe(401);
    const page = await fetch(`${world.product.url}/app`, {
      headers: { cookie: `bb_session=${used}` },
      redirect: 'manual',
    });
    expect(page.headers.get('location')).toMatch(/^\/app\/login/);
  });

  it('within the maximum it is re-issued with the same id and sign-in time, and never past the maximum', async () => {
    const old = await agedSession(8, 30);
    const res = await fetch(`${world.product.url}/api/me`, { headers: { cookie: `bb_session=${old}` } });
    expect(res.status).toBe(200);
    const line = res.headers.getSetCookie().find((c) => c.startsWith('bb_session='))!;
    const renewed = claimsOf(line.split(';')[0].slice('bb_session='.length));
    const before = claimsOf(old);
    expect([renewed.sid, renewed.sia]).toEqual([before.sid, before.sia]);
    expect(renewed.iat).toBeGreaterThan(before.iat);
    // 2 days of the 10 are left: the cookie and the token end there, not 7 days from now.
    expect(renewed.exp).toBe(before.sia + 10 * DAY);
    expect(Number(/Max-Age=(\d+)/i.exec(line)![1])).toBeLessThanOrEqual(2 * DAY + 5);
  });
});
