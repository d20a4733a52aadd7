import { promises as fs } from 'node:fs';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { SetupService } from '../../src/setup/setup.service';
import { CookieClient } from '../support/cookie-client';
import { startSmtpSink } from '../support/smtp-sink';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  completeWizard,
  DOMAIN,
  signInWithGoogle,
  startWorld,
  unlockWizard,
  World,
} from './support';

const SETUP_ROUTES: Array<[string, string]> = [
  ['GET', '/setup'],
  ['GET', '/setup/step/1'],
  ['GET', '/setup/step/2'],
  ['GET', '/setup/step/3'],
  ['GET', '/setup/step/4'],
  ['GET', '/setup/step/5'],
  ['GET', '/setup/step/6'],
  ['POST', '/setup/step/1'],
  ['POST', '/setup/step/2'],
  ['POST', '/setup/step/3'],
  ['POST', '/setup/step/4'],
  ['POST', '/setup/step/4/test-email'],
  ['POST', '/setup/step/5'],
  ['POST', '/setup/step/5/new-key'],
];

async function rowCounts(world: World): Promise<Record<string, number>> {
  const ds = world.product.app.get(DataSource);
  const out: Record<string, number> = {};
  for (const table of ['organization', 'users', 'settings', 'oauth_tokens', 'client_calendars']) {
    out[table] = Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  }
  return out;
}

const EMPTY = { organization: 0, users: 0, settings: 0, oauth_tokens: 0, client_calendars: 0 };

async function keyFileExists(world: World): Promise<boolean> {
  return fs.access(world.product.config.encryptionKeyFile).then(
    () => true,
    () => false,
  );
}

/** Steps 1-4 over JSON (SMTP off), leaving the wizard at step 5. */
async function throughStep4(world: World, client: CookieClient): Promise<void> {
  expect((await unlockWizard(client)).status).toBe(200);
  expect((await client.postJson('/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })).status).toBe(
    200,
  );
  expect((await signInWithGoogle(client, world.fake, `admin@${DOMAIN}`)).location).toBe('/setup/step/3');
  expect((await client.postJson('/setup/step/3', { confirm: true })).status).toBe(200);
  expect((await client.postJson('/setup/step/4', { enabled: false })).status).toBe(200);
}

describe('the setup wizard over JSON', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('walks every step as API.md says, writes everything at step 5 and signs the admin in', async () => {
    const client = new CookieClient(world.product.url);
    expect(await (await unlockWizard(client)).json()).toEqual({ ok: true, next: 2 });
    expect(
      await (await client.postJson('/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })).json(),
    ).toEqual({ ok: true, next: 3 });

    const signIn = await signInWithGoogle(client, world.fake, `admin@${DOMAIN}`);
    expect(signIn.location).toBe('/setup/step/3');
    const step3 = await client.getJson('/setup/step/3');
    expect(step3.status).toBe(200);
    expect(await step3.json()).toEqual({ email: `admin@${DOMAIN}`, domain: DOMAIN });
    expect(await (await client.postJson('/setup/step/3', { confirm: true })).json()).toEqual({ ok: true, next: 4 });
    expect(await (await client.postJson('/setup/step/4', { enabled: false })).json()).toEqual({ ok: true, next: 5 });

    const step5 = await client.getJson('/setup/step/5');
    const { encryptionKey } = (await step5.json()) as { encryptionKey: string };
    expect(Buffer.from(encryptionKey, 'base64')).toHaveLength(32);
    // Shown once.
    const again = await client.getJson('/setup/step/5');
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: expect.stringContaining('already shown') });
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(await keyFileExists(world)).toBe(false);

    const done = await client.postJson('/setup/step/5', { savedKey: true });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ ok: true, next: 6 });

    const keyFile = world.product.config.encryptionKeyFile;
    expect((await fs.readFile(keyFile, 'utf8')).trim()).toBe(encryptionKey);
    expect((await fs.stat(keyFile)).mode & 0o777).toBe(0o600);
    const ds = world.product.app.get(DataSource);
    const [org] = await ds.query('SELECT * FROM organization');
    expect(org.google_workspace_domain).toBe(DOMAIN);
    // Credentials are sealed, not stored as text.
    expect(Buffer.from(org.google_client_secret_encrypted).includes(Buffer.from(CLIENT_SECRET))).toBe(false);
    const encryption = world.product.app.get(EncryptionService);
    expect(encryption.decrypt(org.google_client_secret_encrypted)).toBe(CLIENT_SECRET);
    expect(encryption.decrypt(org.google_client_id_encrypted)).toBe(CLIENT_ID);
    const users = await ds.query('SELECT email, is_admin FROM users');
    expect(users).toEqual([{ email: `admin@${DOMAIN}`, is_admin: 1 }]);
    const tokens = await ds.query('SELECT account_type, google_account_email FROM oauth_tokens');
    expect(tokens).toEqual([{ account_type: 'home', google_account_email: `admin@${DOMAIN}` }]);
    expect(await ds.query('SELECT calendar_type, google_calendar_id FROM client_calendars')).toEqual([
      { calendar_type: 'main', google_calendar_id: `admin@${DOMAIN}` },
    ]);
    expect(await world.product.app.get(SettingsService).get(SETTING_KEYS.alertsEnabled)).toBe('false');

    const me = await client.getJson('/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: `admin@${DOMAIN}`, isAdmin: true });

    // From now on the wizard is gone: every /setup route is 404, with or without a CSRF token.
    for (const [method, path] of SETUP_ROUTES) {
      const anonymous = await new CookieClient(world.product.url).request(path, {
        method,
        ...(method === 'POST' ? { json: {} } : {}),
      });
      expect([method, path, anonymous.status]).toEqual([method, path, 404]);
      const admin = await client.request(path, { method, ...(method === 'POST' ? { json: {}, csrf: true } : {}) });
      expect([method, path, admin.status]).toEqual([method, path, 404]);
    }
    const root = await fetch(`${world.product.url}/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/app');
  });

  it('validates every step with a clear 400 and writes nothing', async () => {
    const client = new CookieClient(world.product.url);
    await unlockWizard(client);
    const wrong = await client.postJson('/setup/step/2', { clientId: CLIENT_ID, clientSecret: 'not-the-secret' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/invalid_client/);
    const cases: Array<[string, unknown, RegExp]> = [
      ['/setup/step/2', { clientId: '' }, /clientId is required/],
      ['/setup/step/2', { clientId: 'a', clientSecret: 'b', extra: 1 }, /property extra should not exist/],
      ['/setup/step/3', { confirm: true }, /credentials first/],
      ['/setup/step/3', { confirm: 'yes' }, /confirm must be true/],
      ['/setup/step/4', { enabled: false }, /credentials first/],
      [
        '/setup/step/4',
        { enabled: true, smtpHost: 'smtp.example', smtpPort: 99999, fromAddress: 'x@y.example' },
        /smtpPort must not be greater than 65535/,
      ],
      ['/setup/step/5', { savedKey: false }, /saved this encryption key/],
      ['/setup/step/5', { savedKey: true }, /credentials first/],
    ];
    for (const [path, body, message] of cases) {
      const res = await client.postJson(path, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await client.getJson('/setup/step/3')).status).toBe(400);
    expect((await client.getJson('/setup/step/5')).status).toBe(400);
    const notYet = await client.getJson('/setup/step/6');
    expect(notYet.status).toBe(400);
    expect((await client.getJson('/setup/step/9')).status).toBe(400);
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(await keyFileExists(world)).toBe(false);
  });

  it('refuses a consumer account as the home organization, saying why', async () => {
    const client = new CookieClient(world.product.url);
    await unlockWizard(client);
    expect((await client.postJson('/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET })).status).toBe(
      200,
    );
    const signIn = await signInWithGoogle(client, world.fake, 'eve@gmail.example');
    expect(signIn.location).toBe('/setup/step/3?error=setup-consumer');
    const page = await client.get(signIn.location);
    expect(await page.text()).toContain('personal Google account (no Google Workspace)');
    expect((await client.getJson('/setup/step/3')).status).toBe(400);
    expect((await client.postJson('/setup/step/3', { confirm: true })).status).toBe(400);
  });

  it('refuses requests without the CSRF token with 403 and changes nothing', async () => {
    const client = new CookieClient(world.product.url);
    await unlockWizard(client);
    const res = await client.request('/setup/step/2', {
      method: 'POST',
      json: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: expect.stringContaining('CSRF') });
    const crossSite = await client.request('/setup/step/2', {
      method: 'POST',
      json: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      csrf: true,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    // The credentials were never taken: step 3 still asks for them.
    expect(
      ((await (await client.postJson('/setup/step/3', { confirm: true })).json()) as { error: string }).error,
    ).toMatch(/credentials first/);
    expect(await rowCounts(world)).toEqual(EMPTY);
  });

  it('leaves nothing behind when abandoned, or when the key file cannot be written', async () => {
    const client = new CookieClient(world.product.url);
    await throughStep4(world, client);
    expect((await client.getJson('/setup/step/5')).status).toBe(200);
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(await keyFileExists(world)).toBe(false);

    // The key's directory is a file: writing the key fails, so nothing may be committed.
    const keyDir = `${world.product.dir}/secrets`;
    await fs.rm(keyDir, { recursive: true, force: true });
    await fs.writeFile(keyDir, 'not a directory');
    const failed = await client.postJson('/setup/step/5', { savedKey: true });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: string }).error).toMatch(
      /Could not write the encryption key file .*Nothing was saved/,
    );
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(world.product.app.get(EncryptionService).hasKey()).toBe(false);

    // Fixed by the operator, the same wizard completes.
    await fs.rm(keyDir);
    const done = await client.postJson('/setup/step/5', { savedKey: true });
    expect(done.status).toBe(200);
    expect((await rowCounts(world)).organization).toBe(1);
  });

  it('removes the key file again when the database transaction fails', async () => {
    const client = new CookieClient(world.product.url);
    await throughStep4(world, client);
    await client.getJson('/setup/step/5');
    const ds = world.product.app.get(DataSource);
    // A fault in SQLite itself, after the organization row was written inside the transaction.
    await ds.query("CREATE TRIGGER fail_setup AFTER INSERT ON users BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    const failed = await client.postJson('/setup/step/5', { savedKey: true });
    expect(failed.status).toBe(500);
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(await keyFileExists(world)).toBe(false);
    expect(world.product.app.get(EncryptionService).hasKey()).toBe(false);
    await ds.query('DROP TRIGGER fail_setup');
    expect((await client.postJson('/setup/step/5', { savedKey: true })).status).toBe(200);
    expect(await keyFileExists(world)).toBe(true);
  });

  it('sends a test email with unsaved SMTP settings and stores the password sealed', async () => {
    const smtp = await startSmtpSink({ username: 'mailer', password: 'smtp-canary-Pa55' });
    try {
      const client = new CookieClient(world.product.url);
      await unlockWizard(client);
      await client.postJson('/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      await signInWithGoogle(client, world.fake, `admin@${DOMAIN}`);
      await client.postJson('/setup/step/3', { confirm: true });
      const settings = {
        enabled: true,
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpUsername: 'mailer',
        smtpPassword: 'smtp-canary-Pa55',
        fromAddress: 'busybridge@home.example',
        adminEmails: 'ops@home.example, it@home.example',
        smtpSecurity: 'none',
      };
      // The default requires STARTTLS, which this plain relay does not offer: refused before the password is sent.
      const { smtpSecurity: _plain, ...byDefault } = settings;
      const refused = await client.postJson('/setup/step/4/test-email', byDefault);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(/STARTTLS/i);
      expect(smtp.attempts).toBe(0);
      const test = await client.postJson('/setup/step/4/test-email', settings);
      expect(test.status).toBe(200);
      expect(await test.json()).toEqual({ ok: true, sentTo: ['ops@home.example', 'it@home.example'] });
      const [mail] = await smtp.waitFor(1);
      expect(mail.to).toEqual(['ops@home.example', 'it@home.example']);
      expect(mail.subject).toBe('BusyBridge test email');

      const wrongPassword = await client.postJson('/setup/step/4/test-email', { ...settings, smtpPassword: 'nope' });
      expect(wrongPassword.status).toBe(400);
      expect(((await wrongPassword.json()) as { error: string }).error).toMatch(/could not be sent/);

      expect((await client.postJson('/setup/step/4', settings)).status).toBe(200);
      await client.getJson('/setup/step/5');
      expect((await client.postJson('/setup/step/5', { savedKey: true })).status).toBe(200);
      const ds = world.product.app.get(DataSource);
      const [row] = await ds.query(
        "SELECT value_plain, value_encrypted, is_sensitive FROM settings WHERE key = 'smtp_password'",
      );
      expect(row.value_plain).toBeNull();
      expect(row.is_sensitive).toBe(1);
      expect(Buffer.from(row.value_encrypted).includes(Buffer.from('smtp-canary-Pa55'))).toBe(false);
      const stored = await world.product.app.get(SettingsService).getAll();
      expect(stored).toMatchObject({
        smtp_host: '127.0.0.1',
        smtp_port: String(smtp.port),
        smtp_password: 'smtp-canary-Pa55',
        smtp_security: 'none',
        alert_emails: 'ops@home.example, it@home.example',
        alerts_enabled: 'true',
      });
    } finally {
      await smtp.close();
    }
  });

  it('factory reset deletes every row and the key, and the wizard runs again', async () => {
    const admin = await completeWizard(world);
    expect((await admin.getJson('/api/me')).status).toBe(200);
    await world.product.app.get(SetupService).factoryReset();
    expect(await rowCounts(world)).toEqual(EMPTY);
    expect(await keyFileExists(world)).toBe(false);
    expect(world.product.app.get(EncryptionService).hasKey()).toBe(false);
    expect((await admin.getJson('/api/me')).status).toBe(401);
    expect((await fetch(`${world.product.url}/setup/step/1`)).status).toBe(200);
    const again = await completeWizard(world);
    expect(await (await again.getJson('/api/me')).json()).toMatchObject({ isAdmin: true });
  });
});
