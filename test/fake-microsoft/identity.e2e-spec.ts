import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { FakeMicrosoft, PERSONAL_TENANT_ID } from './index';
import {
  authorize,
  call,
  CLIENT_ID,
  CLIENT_SECRET,
  graphFor,
  pkcePair,
  PUBLIC_CLIENT_ID,
  REDIRECT_URI,
  SCOPES,
  signIn,
  startSeeded,
  tokenRequest,
} from './test-helpers';

describe('fake Microsoft: identity platform v2 (checklist rows 1-6)', () => {
  let fake: FakeMicrosoft;
  beforeAll(async () => {
    fake = await startSeeded();
  });
  afterAll(() => fake.close());
  afterEach(() => fake.control.clearFaults());

  const contosoId = () => fake.control.tenant('contoso.example').id;
  const refresh = (refreshToken: string) =>
    tokenRequest(fake, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: SCOPES,
    });
  const chooserOrRedirect = async (tenant: string, upn: string) => {
    const q = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: SCOPES,
      login_hint: upn,
    });
    return fetch(`${fake.url}/${tenant}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  };

  it('row 1: /{tenant}/oauth2/v2.0/{authorize,token} for common|organizations|consumers|<guid>', async () => {
    for (const tenant of ['common', 'organizations', contosoId(), 'contoso.example']) {
      const tokens = await signIn(fake, 'ann@contoso.example', { tenant });
      expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    }
    expect((await signIn(fake, 'eve@outlook.example', { tenant: 'consumers' })).access_token).toBeTruthy();
    // A personal account cannot use /organizations, a work account cannot use /consumers: the account picker stays.
    expect((await chooserOrRedirect('organizations', 'eve@outlook.example')).status).toBe(200);
    expect((await chooserOrRedirect('consumers', 'ann@contoso.example')).status).toBe(200);
    expect((await chooserOrRedirect(fake.control.tenant('fabrikam.example').id, 'ann@contoso.example')).status).toBe(
      200,
    );
    const unknown = await chooserOrRedirect('00000000-1111-4222-a333-444444444444', 'ann@contoso.example');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS90002');
  });

  it('row 1: PKCE (S256) binds the code to its verifier; a public client must use it', async () => {
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(fake, 'ann@contoso.example', { clientId: PUBLIC_CLIENT_ID, challenge })).get('code')!;
    const base = { client_id: PUBLIC_CLIENT_ID, grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    const wrong = await tokenRequest(fake, { ...base, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    expect(String(wrong.body.error_description)).toMatch(/^AADSTS501481: /);
    const ok = await tokenRequest(fake, { ...base, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const replay = await tokenRequest(fake, { ...base, code_verifier: verifier });
    expect(replay.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
    const noPkce = (await authorize(fake, 'ann@contoso.example', { clientId: PUBLIC_CLIENT_ID })).get('code')!;
    expect((await tokenRequest(fake, { ...base, code: noPkce })).body).toMatchObject({ error: 'invalid_request' });
    const badSecret = await tokenRequest(fake, {
      client_id: CLIENT_ID,
      client_secret: 'nope',
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: REDIRECT_URI,
    });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
  });

  it('row 1: response_mode fragment and form_post carry the code too', async () => {
    const q = (mode: string) =>
      new URLSearchParams({
        client_id: CLIENT_ID,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        response_mode: mode,
        scope: SCOPES,
        state: 's',
        login_hint: 'ann@contoso.example',
      });
    const fragment = await fetch(`${fake.url}/common/oauth2/v2.0/authorize?${q('fragment')}`, { redirect: 'manual' });
    expect(new URLSearchParams(new URL(fragment.headers.get('location')!).hash.slice(1)).get('code')).toBeTruthy();
    const form = await (await fetch(`${fake.url}/common/oauth2/v2.0/authorize?${q('form_post')}`)).text();
    expect(form).toContain(`action="${REDIRECT_URI}"`);
    expect(form).toMatch(/name="code" value="[^"]+"/);
  });

  it('row 2: refresh tokens rotate on use; invalid_grant + AADSTS700082 after inactivity', async () => {
    const first = await signIn(fake, 'ben@contoso.example');
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeTruthy();
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    // The replaced token is not revoked (RT): store the newest, but the old one still works.
    expect((await refresh(first.refresh_token)).status).toBe(200);

    fake.control.advanceClock(91 * 86_400_000);
    const stale = await refresh(String(second.body.refresh_token));
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
    expect(String(stale.body.error_description)).toMatch(
      /^AADSTS700082: The refresh token has expired due to inactivity/,
    );
    expect(stale.body).toEqual(
      expect.objectContaining({
        timestamp: expect.any(String),
        trace_id: expect.any(String),
        correlation_id: expect.any(String),
      }),
    );

    const fresh = await signIn(fake, 'ben@contoso.example');
    fake.control.expireRefreshTokens('ben@contoso.example');
    expect((await refresh(fresh.refresh_token)).body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
    const again = await signIn(fake, 'ben@contoso.example');
    fake.control.resetPassword('ben@contoso.example');
    expect((await refresh(again.refresh_token)).body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect((await graphFor(fake, again.access_token)('GET', '/me')).status).toBe(401);
  });

  it('row 3: consent_required / AADSTS90094 as injectable faults', async () => {
    // Fabrikam lets users consent only to verified publishers; the test app is not one.
    const denied = await authorize(fake, 'dan@fabrikam.example', { state: 's-9' });
    expect(denied.get('error')).toBe('consent_required');
    expect(denied.get('error_description')).toMatch(/^AADSTS90094: /);
    expect(denied.get('state')).toBe('s-9');
    expect(denied.get('code')).toBeNull();
    const admin = await fetch(
      `${fake.url}/fabrikam.example/v2.0/adminconsent?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&state=a1`,
      { redirect: 'manual' },
    );
    const granted = new URL(admin.headers.get('location')!).searchParams;
    expect(granted.get('admin_consent')).toBe('True');
    expect(granted.get('tenant')).toBe(fake.control.tenant('fabrikam.example').id);
    expect((await authorize(fake, 'dan@fabrikam.example')).get('code')).toBeTruthy();

    fake.control.injectFault({ kind: 'token', status: 400, reason: 'consent_required', times: 1 });
    const code = (await authorize(fake, 'ann@contoso.example')).get('code')!;
    const res = await tokenRequest(fake, {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'consent_required', error_codes: [65001] });
  });

  it('row 4: id_token with tid (personal GUID 9188040d-…), oid, preferred_username, verifiable with the keys', async () => {
    const tokens = await signIn(fake, 'ann@contoso.example', { nonce: 'n-42' });
    const keys = createRemoteJWKSet(new URL(`${fake.url}/common/discovery/v2.0/keys`));
    // Earlier tests moved emulator time forward; iat/nbf/exp follow the emulator's clock.
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, keys, {
      audience: CLIENT_ID,
      currentDate: new Date(fake.control.now()),
    });
    const me = (await graphFor(fake, tokens.access_token)('GET', '/me')).body;
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      tid: fake.control.tenant('contoso.example').id,
      oid: me.id,
      preferred_username: 'ann@contoso.example',
      nonce: 'n-42',
      ver: '2.0',
    });
    expect(payload.iss).toBe(`${fake.url}/${payload.tid}/v2.0`);
    const discovery = (await call(`${fake.url}/common/v2.0/.well-known/openid-configuration`)).body;
    expect(String(discovery.issuer).replace('{tenantid}', String(payload.tid))).toBe(payload.iss);

    const personal = decodeJwt((await signIn(fake, 'eve@outlook.example', { tenant: 'consumers' })).id_token);
    expect(personal.tid).toBe(PERSONAL_TENANT_ID);
    expect(personal.tid).toBe('9188040d-6c67-4c5b-b112-36a304b66dad');
    const forged = tokens.id_token.split('.');
    forged[1] = Buffer.from(JSON.stringify({ ...payload, tid: 'evil' })).toString('base64url');
    await expect(
      jwtVerify(forged.join('.'), keys, { audience: CLIENT_ID, currentDate: new Date(fake.control.now()) }),
    ).rejects.toThrow(/signature/);
  });

  it('row 5: token scope sometimes resource-qualified', async () => {
    const a = await signIn(fake, 'ann@contoso.example');
    const b = await refresh(a.refresh_token);
    const scopes = [a.scope, String(b.body.scope)];
    expect(scopes.some((s) => s.split(' ').includes('Calendars.ReadWrite'))).toBe(true);
    expect(scopes.some((s) => s.split(' ').includes('https://graph.microsoft.com/Calendars.ReadWrite'))).toBe(true);
    for (const s of scopes) expect(s.split(' ')).not.toContain('offline_access');
  });

  it('row 6: /me with mail:null for some users', async () => {
    const cat = await graphFor(fake, fake.control.mintAccessToken('cat@contoso.example', CLIENT_ID))('GET', '/me');
    expect(cat.status).toBe(200);
    expect(cat.body).toMatchObject({
      mail: null,
      userPrincipalName: 'cat@contoso.example',
      displayName: 'Cat Contoso',
    });
    const ann = await graphFor(fake, fake.control.mintAccessToken('ann@contoso.example', CLIENT_ID))('GET', '/me');
    expect(ann.body).toMatchObject({ mail: 'ann@contoso.example', id: fake.control.user('ann@contoso.example').id });
    const userOnly = graphFor(fake, fake.control.mintAccessToken('ann@contoso.example', CLIENT_ID, 'openid User.Read'));
    expect((await userOnly('GET', '/me')).status).toBe(200);
    expect((await userOnly('GET', '/me/events')).body).toMatchObject({ error: { code: 'ErrorAccessDenied' } });
    const readOnly = graphFor(fake, fake.control.mintAccessToken('ann@contoso.example', CLIENT_ID, 'Calendars.Read'));
    expect((await readOnly('GET', '/me/events')).status).toBe(200);
    expect((await readOnly('POST', '/me/events', { subject: 'x' })).status).toBe(403);
    const none = await call(`${fake.url}/v1.0/me`);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });
});
