import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { JsonLogger } from '../../src/logging/json-logger';
import { registeredSecretCounts } from '../../src/logging/redact';
import { SetupService } from '../../src/setup/setup.service';
import { CookieClient } from '../support/cookie-client';
import { freePort, RunningProduct } from '../support/product';
import { startFakeGoogle } from '../fake-google';
import { CLIENT_ID, CLIENT_SECRET, completeWizard, DOMAIN, World } from './support';

jest.setTimeout(120_000);

/**
 * The wizard opens only with the setup token: generated when SETUP_TOKEN is unset, logged as `Setup token:
 * <token>` and written to `setup-token` (0600) beside the database; a new one after a factory reset. Wrong
 * tokens are counted per address; steps 2-5 refuse a wizard that did not pass step 1.
 */
describe('the setup token', () => {
  let world: World;
  const logs: string[] = [];
  const tokenFile = () => path.join(path.dirname(world.product.config.databasePath), 'setup-token');
  const loggedTokens = () =>
    logs
      .map((l) => (JSON.parse(l) as { msg: string }).msg)
      .map((m) => /^Setup token: (\S+)$/.exec(m)?.[1])
      .filter(Boolean);

  beforeAll(async () => {
    const fake = await startFakeGoogle();
    const dir = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'bb-setup-token-'));
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_PATH: path.join(dir, 'data', 'calendar-sync.db'),
      ENCRYPTION_KEY_FILE: path.join(dir, 'secrets', 'encryption.key'),
      GOOGLE_BASE_URL: fake.url,
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
    });
    const app = await createApp(config, { logger: new JsonLogger('info', (line) => logs.push(line)) });
    await app.listen({ port, host: '127.0.0.1' });
    const product: RunningProduct = {
      app,
      url: `http://127.0.0.1:${port}`,
      config,
      dir,
      close: async () => {
        await app.close();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
    fake.control.seed({
      domains: [DOMAIN],
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${product.url}/auth/callback`] }],
      accounts: [{ email: `admin@${DOMAIN}`, name: 'Ada Admin' }],
    });
    world = {
      fake,
      product,
      close: async () => {
        await product.close();
        await fake.close();
      },
    };
  });
  afterAll(async () => {
    await world?.close();
  });

  it('is generated, logged once and written 0600 beside the database', async () => {
    const [logged] = loggedTokens();
    expect(logged).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await fs.readFile(tokenFile(), 'utf8')).trim()).toBe(logged);
    expect((await fs.stat(tokenFile())).mode & 0o777).toBe(0o600);
  });

  it('steps 2-5 answer 403 to a wizard that has not passed step 1, and change nothing', async () => {
    const client = new CookieClient(world.product.url);
    await client.get('/setup/step/1');
    const posts: Array<[string, unknown]> = [
      ['/setup/step/2', { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
      ['/setup/step/3', { confirm: true }],
      ['/setup/step/4', { enabled: false }],
      ['/setup/step/4/test-email', { enabled: false }],
      ['/setup/step/5/new-key', {}],
      ['/setup/step/5', { savedKey: true }],
    ];
    for (const [url, body] of posts) expect([url, (await client.postJson(url, body)).status]).toEqual([url, 403]);
    for (const url of ['/setup/step/2', '/setup/step/3', '/setup/step/5'])
      expect([url, (await client.getJson(url)).status]).toEqual([url, 403]);
    // The page itself sends the visitor back to the welcome page.
    const page = await client.get('/setup/step/3');
    expect(page.headers.get('location')).toBe('/setup/step/1');
    // Signing in for the wizard needs tested credentials, which need the token.
    expect((await client.get('/auth/login')).headers.get('location')).toBe('/setup');
  });

  it('10 wrong tokens from one address lock it out (429) for the right one too; another address still gets in', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const client = new CookieClient(world.product.url);
    const token = loggedTokens()[0]!;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (
          await client.request('/setup/step/1', {
            method: 'POST',
            json: { setupToken: `wrong-${i}` },
            csrf: true,
            headers: from('203.0.113.50'),
          })
        ).status,
      );
    expect(statuses).toEqual(Array(10).fill(403));
    const locked = await client.request('/setup/step/1', {
      method: 'POST',
      json: { setupToken: token },
      csrf: true,
      headers: from('203.0.113.50'),
    });
    expect(locked.status).toBe(429);
    expect(
      (await client.request('/setup/step/1', { method: 'POST', json: {}, csrf: true, headers: from('203.0.113.51') }))
        .status,
    ).toBe(403);
    const other = await client.request('/setup/step/1', {
      method: 'POST',
      json: { setupToken: token },
      csrf: true,
      headers: from('203.0.113.51'),
    });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ ok: true, next: 2 });
  });

  it('thousands of wrong step-2 secrets leave the redaction sets (and so memory) flat', async () => {
    const client = new CookieClient(world.product.url);
    expect((await client.postJson('/setup/step/1', { setupToken: loggedTokens()[0] })).status).toBe(200);
    const csrf = await client.csrfToken();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const before = registeredSecretCounts();
    // Before the fix every one of them stayed registered for redaction (and scanned by every log line) for good.
    const ROUNDS = Number(process.env.STEP2_SECRET_ROUNDS ?? 1000);
    const PARALLEL = 8;
    let refused = 0;
    const post = async (i: number) => {
      const res = await fetch(`${world.product.url}/setup/step/2`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ clientId: CLIENT_ID, clientSecret: `wrong-secret-${i}-${'x'.repeat(200)}` }),
      });
      if (res.status === 400) refused++;
      await res.arrayBuffer();
    };
    for (let i = 0; i < ROUNDS; i += PARALLEL)
      await Promise.all(Array.from({ length: PARALLEL }, (_, j) => post(i + j)));
    expect(refused).toBe(ROUNDS);
    expect(registeredSecretCounts()).toEqual(before);
    process.stdout.write(
      `step 2: ${ROUNDS} wrong secrets; redaction sets ${JSON.stringify(before)} -> ${JSON.stringify(registeredSecretCounts())}\n`,
    );
  });

  it('is retired when setup completes, and a new one is made by a factory reset', async () => {
    const first = loggedTokens()[0]!;
    await completeWizard(world, `admin@${DOMAIN}`, first);
    await expect(fs.access(tokenFile())).rejects.toThrow();
    await world.product.app.get(SetupService).factoryReset();
    const tokens = loggedTokens();
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(first);
    expect((await fs.readFile(tokenFile(), 'utf8')).trim()).toBe(tokens[1]);
    const client = new CookieClient(world.product.url);
    expect((await client.postJson('/setup/step/1', { setupToken: first })).status).toBe(403);
    expect((await client.postJson('/setup/step/1', { setupToken: tokens[1] })).status).toBe(200);
  });
});
