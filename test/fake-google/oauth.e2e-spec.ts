import { FakeGoogle } from './index';
import {
  ALL_SCOPES,
  authorize,
  calendarApi,
  CLIENT_ID,
  googleError,
  oauthClient,
  signIn,
  startSeeded,
  REDIRECT_URI,
} from './test-helpers';

describe('fake Google: OAuth 2.0 / OpenID Connect', () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await startSeeded();
  });
  afterAll(() => fake.close());

  const refreshWith = (refreshToken: string) => {
    const c = oauthClient(fake);
    c.setCredentials({ refresh_token: refreshToken });
    return c.getAccessToken();
  };

  it('exchanges an authorization code and the id_token verifies against the emulator certs', async () => {
    const client = oauthClient(fake);
    const params = await authorize(fake, client, 'ann@home.example', { nonce: 'n-1', state: 'xyz' });
    expect(params.get('state')).toBe('xyz');
    const { tokens } = await client.getToken(params.get('code')!);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toContain('https://www.googleapis.com/auth/calendar');
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT_ID });
    const claims = ticket.getPayload()!;
    expect(claims).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: CLIENT_ID,
      email: 'ann@home.example',
      email_verified: true,
      hd: 'home.example',
      nonce: 'n-1',
    });
    expect(claims.sub).toMatch(/^\d{21}$/);
  });

  it('omits hd for a consumer account', async () => {
    const client = oauthClient(fake);
    const params = await authorize(fake, client, 'eve@gmail.example');
    const { tokens } = await client.getToken(params.get('code')!);
    const claims = (await client.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT_ID })).getPayload()!;
    expect(claims.hd).toBeUndefined();
  });

  it('shows an account chooser without login_hint', async () => {
    const url = `${fake.url}/o/oauth2/v2/auth?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=openid`;
    const res = await fetch(url);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('ann@home.example');
    expect(html).toContain('login_hint=ann%40home.example');
  });

  it('rejects a replayed code with invalid_grant', async () => {
    const client = oauthClient(fake);
    const code = (await authorize(fake, client, 'ann@home.example')).get('code')!;
    await client.getToken(code);
    const err = await googleError(client.getToken(code));
    expect(err.status).toBe(400);
    expect(err.body).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('rejects a wrong client secret with invalid_client (401)', async () => {
    const client = oauthClient(fake, 'wrong-secret');
    const code = (await authorize(fake, client, 'ann@home.example')).get('code')!;
    const err = await googleError(client.getToken(code));
    expect(err.status).toBe(401);
    expect(err.reason).toBe('invalid_client');
  });

  it('refreshes an expired access token transparently', async () => {
    fake.control.setAccessTokenLifetime(1);
    try {
      const auth = await signIn(fake, 'ann@home.example', { prompt: 'consent' });
      const api = calendarApi(fake, auth);
      const first = auth.credentials.access_token;
      await api.calendarList.list();
      fake.control.advanceClock(2000);
      fake.control.clearCallLog();
      await api.calendarList.list();
      expect(auth.credentials.access_token).not.toBe(first);
      expect(fake.control.callCounts({ kind: 'token' })).toEqual({ token: 1 });
    } finally {
      fake.control.setAccessTokenLifetime(3600);
    }
  });

  it('answers 401 for an expired access token when no refresh token is available', async () => {
    fake.control.setAccessTokenLifetime(1);
    try {
      const auth = await signIn(fake, 'ann@home.example', { offline: false });
      expect(auth.credentials.refresh_token).toBeUndefined();
      fake.control.advanceClock(2000);
      auth.setCredentials({ access_token: auth.credentials.access_token });
      const err = await googleError(calendarApi(fake, auth).calendarList.list());
      expect(err).toMatchObject({ status: 401, reason: 'authError' });
    } finally {
      fake.control.setAccessTokenLifetime(3600);
    }
  });

  it('answers invalid_grant for a revoked refresh token, and revoking kills the access token too', async () => {
    const auth = await signIn(fake, 'ben@home.example');
    const refresh = auth.credentials.refresh_token!;
    await auth.revokeToken(refresh);
    const err = await googleError(refreshWith(refresh));
    expect(err.status).toBe(400);
    expect(err.reason).toBe('invalid_grant');
    const accessOnly = oauthClient(fake);
    accessOnly.setCredentials({ access_token: auth.credentials.access_token });
    const apiErr = await googleError(calendarApi(fake, accessOnly).calendarList.list());
    expect(apiErr.status).toBe(401);
  });

  it('issues a refresh token on first consent only, again with prompt=consent', async () => {
    const client = oauthClient(fake);
    const first = await client.getToken((await authorize(fake, client, 'dan@client.example')).get('code')!);
    expect(first.tokens.refresh_token).toBeTruthy();
    const second = await client.getToken((await authorize(fake, client, 'dan@client.example')).get('code')!);
    expect(second.tokens.refresh_token).toBeUndefined();
    const forced = await client.getToken(
      (await authorize(fake, client, 'dan@client.example', { prompt: 'consent' })).get('code')!,
    );
    expect(forced.tokens.refresh_token).toBeTruthy();
  });

  it('control: revoking an account grants makes its refresh token invalid_grant', async () => {
    const auth = await signIn(fake, 'cat@client.example');
    expect(fake.control.revokeGrants('cat@client.example')).toBeGreaterThan(0);
    const err = await googleError(refreshWith(auth.credentials.refresh_token!));
    expect(err.reason).toBe('invalid_grant');
  });

  it('redirects with admin_policy_enforced / access_denied for blocked accounts', async () => {
    fake.control.setAccountFlags('dan@client.example', { adminBlocked: true });
    expect((await authorize(fake, oauthClient(fake), 'dan@client.example')).get('error')).toBe('admin_policy_enforced');
    fake.control.setAccountFlags('dan@client.example', { adminBlocked: false, denyConsent: true });
    const params = await authorize(fake, oauthClient(fake), 'dan@client.example', { state: 's9' });
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('s9');
    fake.control.setAccountFlags('dan@client.example', { denyConsent: false });
  });

  it('serves userinfo and lets the control API craft the next id_token', async () => {
    const auth = await signIn(fake, 'ann@home.example');
    const res = await fetch(`${fake.url}/oauth2/v3/userinfo`, {
      headers: { authorization: `Bearer ${auth.credentials.access_token}` },
    });
    expect(await res.json()).toMatchObject({
      email: 'ann@home.example',
      email_verified: true,
      hd: 'home.example',
      name: 'Ann Home',
    });

    fake.control.setNextIdToken('ann@home.example', { claims: { hd: 'evil.example', email_verified: false } });
    const crafted = await signIn(fake, 'ann@home.example', { scope: ALL_SCOPES });
    const claims = (
      await crafted.verifyIdToken({ idToken: crafted.credentials.id_token!, audience: CLIENT_ID })
    ).getPayload()!;
    expect(claims).toMatchObject({ hd: 'evil.example', email_verified: false });

    fake.control.setNextIdToken('ann@home.example', { signWith: 'untrusted' });
    const forged = await signIn(fake, 'ann@home.example');
    await expect(forged.verifyIdToken({ idToken: forged.credentials.id_token!, audience: CLIENT_ID })).rejects.toThrow(
      /No pem found/,
    );
  });
});
