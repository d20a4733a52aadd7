import { promises as fs, existsSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { backupDatabase } from '../../src/database/backup';
import { GoogleAccountsService } from '../../src/google/google-accounts.service';
import { JsonLogger } from '../../src/logging/json-logger';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { CookieClient } from '../support/cookie-client';
import { connectAccount, HttpSession } from '../support/http-session';
import { freePort, RunningProduct, TEST_SETUP_TOKEN } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { CLIENT_ID, CLIENT_SECRET, completeWizard, DOMAIN, signInWithGoogle, World } from '../setup/support';

jest.setTimeout(120_000);

/**
 * Canary secrets (the OAuth client secret, the SMTP password, every access and refresh token the emulator
 * issued) never reach the SQLite file, its WAL, a backup or the debug-level logs, including Google's and
 * SMTP's error paths; and the process opens connections only to the emulator (GOOGLE_BASE_URL) and the
 * SMTP host (observed on net.Socket#connect, which fetch and nodemailer both use).
 */
const SMTP_PASSWORD = 'smtp-canary-5ecr3t-Pa55';

describe('secrets stay secret, and we only talk to Google and SMTP', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let smtp: SmtpSink;
  const logs: string[] = [];
  const connections: string[] = [];
  const realConnect = net.Socket.prototype.connect;

  beforeAll(async () => {
    (net.Socket.prototype as unknown as { connect: unknown }).connect = function (
      this: net.Socket,
      ...args: unknown[]
    ) {
      // net.connect() hands the socket its arguments already normalized into an array.
      const first = Array.isArray(args[0]) ? args[0][0] : args[0];
      const o = first as { host?: string; port?: number; path?: string } | number;
      connections.push(
        typeof o === 'object'
          ? o.path
            ? `unix:${o.path}`
            : `${o.host ?? 'localhost'}:${o.port}`
          : `${String(args[1] ?? 'localhost')}:${o}`,
      );
      return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    };
    fake = await startFakeGoogle();
    smtp = await startSmtpSink({ username: 'mailer', password: SMTP_PASSWORD });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-secrets-'));
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_PATH: path.join(dir, 'data', 'calendar-sync.db'),
      ENCRYPTION_KEY_FILE: path.join(dir, 'secrets', 'encryption.key'),
      LOG_LEVEL: 'debug',
      GOOGLE_BASE_URL: fake.url,
      SYNC_POLL_SECONDS: '86400',
      SETUP_TOKEN: TEST_SETUP_TOKEN,
    });
    const app = await createApp(config, { logger: new JsonLogger('debug', (line) => logs.push(line)) });
    await app.listen({ port, host: '127.0.0.1' });
    product = {
      app,
      url: `http://127.0.0.1:${port}`,
      config,
      dir,
      close: async () => {
        await app.close();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  });
  afterAll(async () => {
    (net.Socket.prototype as unknown as { connect: unknown }).connect = realConnect;
    await product?.close();
    await fake?.close();
    await smtp?.close();
  });

  it('no canary in the database file, its WAL, a backup or the debug logs after a full run with Google and SMTP failures', async () => {
    const world: World = { fake, product, close: async () => undefined };
    fake.control.seed({
      domains: [DOMAIN, 'client.example'],
      clients: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: ['/auth/callback', '/auth/connect-client/callback', '/auth/connect-personal/callback'].map(
            (p) => `${product.url}${p}`,
          ),
        },
      ],
      accounts: [
        { email: `admin@${DOMAIN}`, name: 'Ada Admin' },
        { email: `ann@${DOMAIN}` },
        { email: 'ann@client.example' },
      ],
    });
    const admin = await completeWizard(world);
    product.app.get(GoogleAccountsService).setRetryOptions({ attempts: 2, baseDelayMs: 5, maxDelayMs: 10 });
    const adminHttp = new HttpSession(product.url, `bb_session=${admin.cookies.get('bb_session')}`);
    // SMTP: saved, a test mail sent, then a wrong password (the SMTP error path).
    const smtpSettings = {
      smtpHost: '127.0.0.1',
      smtpPort: smtp.port,
      smtpSecurity: 'none',
      smtpUsername: 'mailer',
      smtpPassword: SMTP_PASSWORD,
      smtpFromAddress: `busybridge@${DOMAIN}`,
      alertsEnabled: true,
      alertEmails: `admin@${DOMAIN}`,
    };
    expect((await adminHttp.json('PUT', '/api/admin/settings', smtpSettings)).status).toBe(200);
    expect((await adminHttp.json('POST', '/api/admin/settings/test-email', { to: `admin@${DOMAIN}` })).status).toBe(
      200,
    );
    expect(
      (
        await adminHttp.json('POST', '/api/admin/settings/test-email', {
          ...smtpSettings,
          smtpPassword: `${SMTP_PASSWORD}-wrong`,
          to: `admin@${DOMAIN}`,
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    // Ann signs in and connects a client account; tokens refresh; Google fails in several ways.
    const ann = new CookieClient(product.url);
    expect((await signInWithGoogle(ann, fake, `ann@${DOMAIN}`)).location).toBe('/app');
    const annHttp = new HttpSession(product.url, `bb_session=${ann.cookies.get('bb_session')}`);
    const done = await connectAccount(annHttp, '/auth/connect-client', 'ann@client.example');
    const account = Number(new URL(done.headers.get('location')!, 'http://x').searchParams.get('account'));
    const row = await annHttp.json<{ id: number }>('POST', '/api/client-calendars', {
      accountId: account,
      calendarId: 'ann@client.example',
    });
    expect(row.status).toBe(201);
    const sync = product.app.get(SyncService);
    const userId = (await annHttp.json<{ id: number }>('GET', '/api/me')).body.id;
    fake.control.createEvent('ann@client.example', 'ann@client.example', {
      summary: 'Kickoff',
      start: { dateTime: new Date(Date.now() + 3600_000).toISOString() },
      end: { dateTime: new Date(Date.now() + 7200_000).toISOString() },
    });
    await sync.fullResync(userId);
    fake.control.setAccessTokenLifetime(1);
    await new Promise((r) => setTimeout(r, 1500));
    await sync.fullResync(userId);
    for (const [status, reason] of [
      [500, 'backendError'],
      [403, 'rateLimitExceeded'],
      [401, 'authError'],
      [400, 'invalid'],
    ] as const) {
      const id = fake.control.injectFault({ kind: 'events.list', status, reason, times: 3 });
      await sync.fullResync(userId).catch(() => undefined);
      fake.control.removeFault(id);
    }
    fake.control.revokeGrants('ann@client.example');
    await sync.fullResync(userId).catch(() => undefined);
    await sync.onIdle();

    // The canaries: every token Google issued for us (decrypted from the database), the client secret, the SMTP password.
    const ds = product.app.get(DataSource);
    const encryption = product.app.get(EncryptionService);
    const tokens: Array<{ access_token_encrypted: Buffer; refresh_token_encrypted: Buffer | null }> = await ds.query(
      'SELECT access_token_encrypted, refresh_token_encrypted FROM oauth_tokens',
    );
    const canaries = new Set<string>([CLIENT_SECRET, SMTP_PASSWORD]);
    for (const t of tokens) {
      canaries.add(encryption.decrypt(t.access_token_encrypted));
      if (t.refresh_token_encrypted) canaries.add(encryption.decrypt(t.refresh_token_encrypted));
    }
    expect(canaries.size).toBeGreaterThanOrEqual(2 + 4);
    expect(smtp.received.length).toBe(1);
    expect(logs.length).toBeGreaterThan(50);
    expect(logs.some((l) => /"level":"(error|warning)"/.test(l))).toBe(true);

    const dbFile = product.config.databasePath;
    const backup = path.join(product.dir, 'backup.db');
    await backupDatabase(ds, backup);
    const haystacks: Array<[string, Buffer]> = [
      ['database', await fs.readFile(dbFile)],
      ['backup', await fs.readFile(backup)],
      ['logs', Buffer.from(logs.join('\n'))],
    ];
    expect(existsSync(`${dbFile}-wal`)).toBe(true);
    haystacks.push(['WAL', await fs.readFile(`${dbFile}-wal`)]);
    const found: string[] = [];
    for (const [name, bytes] of haystacks) {
      for (const canary of canaries) {
        if (bytes.includes(Buffer.from(canary))) found.push(`${name} holds ${canary.slice(0, 6)}...`);
        if (bytes.includes(Buffer.from(canary, 'utf16le')))
          found.push(`${name} holds ${canary.slice(0, 6)}... (UTF-16)`);
      }
    }
    expect(found).toEqual([]);
    process.stdout.write(
      `secrets: ${canaries.size} canaries x ${haystacks.length} places (${logs.length} log lines at debug), none found\n`,
    );
  });

  it('opened connections only to the emulator (GOOGLE_BASE_URL), the SMTP host and itself', () => {
    const allowed = new Set(
      [new URL(fake.url).port, String(smtp.port), new URL(product.url).port].map((p) => `127.0.0.1:${p}`),
    );
    const outside = [...new Set(connections)].filter((c) => !allowed.has(c.replace(/^localhost:/, '127.0.0.1:')));
    // Keep-alive reuses sockets, so few connects; but both Google (the emulator) and SMTP were reached.
    expect(connections).toEqual(
      expect.arrayContaining([`127.0.0.1:${new URL(fake.url).port}`, `127.0.0.1:${smtp.port}`]),
    );
    expect(outside).toEqual([]);
  });
});
