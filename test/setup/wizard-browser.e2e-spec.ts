import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { projectPath } from '../../src/paths';
import { TEST_SETUP_TOKEN } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { CLIENT_ID, CLIENT_SECRET, DOMAIN, startWorld, World } from './support';

const SHOTS = projectPath('test-artifacts', 'screenshots', 'wizard');

describe('the setup wizard in a real browser', () => {
  let world: World;
  let smtp: SmtpSink;
  let browser: Browser;

  beforeAll(async () => {
    jest.setTimeout(30_000);
    // The pages load htmx and Alpine from public/vendor, which the build copies from node_modules.
    execFileSync(process.execPath, [projectPath('scripts', 'copy-assets.js')]);
    await fs.mkdir(SHOTS, { recursive: true });
    world = await startWorld();
    smtp = await startSmtpSink();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      // launch() always starts from a fresh temporary profile (it refuses --user-data-dir).
    });
  });

  afterAll(async () => {
    await browser?.close();
    await smtp?.close();
    await world?.close();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  it('clicks through all six steps on a phone-sized screen, with no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const problems: string[] = [];
    // Console errors (CSP violations among them) and failed loads, except the deliberate 404 of /setup at the end.
    page.on('console', (m) => {
      if (
        (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) ||
        /Content Security Policy/i.test(m.text())
      )
        problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !/\/favicon\.ico$|\/setup$/.test(r.url())) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const ours = (url: string) => url.startsWith(world.product.url);

    // 1. Welcome
    await page.goto(`${world.product.url}/`);
    expect(page.url()).toBe(`${world.product.url}/setup/step/1`);
    await page.getByRole('heading', { name: 'Welcome to BusyBridge' }).waitFor();
    await shot(page, 'step-1-welcome');
    // The setup token, as the operator copies it from the log or the setup-token file.
    await page.fill('#setupToken', 'not-the-token');
    await page.getByTestId('next').click();
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').textContent()).toMatch(/Wrong setup token/);
    await page.fill('#setupToken', TEST_SETUP_TOKEN);
    await page.getByTestId('next').click();

    // 2. Credentials: the instructions name this deployment's redirect URIs and warn about "Testing".
    await page.waitForURL(`${world.product.url}/setup/step/2`);
    await page.locator('summary').click();
    const uris = await page.getByTestId('redirect-uri').allTextContents();
    expect(uris).toEqual([
      `${world.product.url}/auth/callback`,
      `${world.product.url}/auth/connect-client/callback`,
      `${world.product.url}/auth/connect-personal/callback`,
    ]);
    await expect(page.getByTestId('instructions').textContent()).resolves.toMatch(/Testing.*7 days/s);
    await page.fill('#clientId', CLIENT_ID);
    await page.fill('#clientSecret', 'wrong-secret');
    await page.getByTestId('test-connection').click();
    await page.getByTestId('error').waitFor();
    expect(await page.getByTestId('error').textContent()).toMatch(/invalid_client/);
    await page.fill('#clientSecret', CLIENT_SECRET);
    await page.getByTestId('test-connection').click();
    await page.getByTestId('credentials-ok').waitFor();
    await shot(page, 'step-2-credentials');
    await page.getByTestId('next').click();

    // 3. Sign in with Google through the emulator's account chooser.
    await page.waitForURL(`${world.product.url}/setup/step/3`);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((u) => u.toString().startsWith(world.fake.url));
    await page.getByText(`admin@${DOMAIN}`).click();
    await page.waitForURL(`${world.product.url}/setup/step/3`);
    expect(await page.getByTestId('admin-email').textContent()).toBe(`admin@${DOMAIN}`);
    expect(await page.getByTestId('admin-domain').textContent()).toBe(`@${DOMAIN}`);
    await shot(page, 'step-3-administrator');
    await page.getByTestId('next').click();

    // 4. Email alerts: Alpine shows the fields, htmx sends the test email.
    await page.waitForURL(`${world.product.url}/setup/step/4`);
    expect(await page.getByTestId('smtp-fields').isVisible()).toBe(false);
    await page.getByTestId('enable-alerts').check();
    await page.getByTestId('smtp-fields').waitFor({ state: 'visible' });
    await page.fill('#smtpHost', '127.0.0.1');
    await page.fill('#smtpPort', String(smtp.port));
    await page.selectOption('#smtpSecurity', 'none');
    await page.fill('#fromAddress', `busybridge@${DOMAIN}`);
    await page.fill('#adminEmails', `ops@${DOMAIN}`);
    await page.getByTestId('send-test-email').click();
    await page.getByText(`Test email sent to ops@${DOMAIN}.`).waitFor();
    expect(page.url()).toBe(`${world.product.url}/setup/step/4`);
    await smtp.waitFor(1);
    await shot(page, 'step-4-email-alerts');
    await page.getByTestId('next').click();

    // 5. The key, shown once; "Complete Setup" waits for the checkbox.
    await page.waitForURL(`${world.product.url}/setup/step/5`);
    const key = (await page.getByTestId('encryption-key').textContent())!.trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(await page.getByTestId('complete').isDisabled()).toBe(true);
    await shot(page, 'step-5-encryption-key');
    await page.getByTestId('saved-key').check();
    expect(await page.getByTestId('complete').isDisabled()).toBe(false);
    const rowsBefore = await world.product.app.get(DataSource).query('SELECT COUNT(*) AS n FROM organization');
    expect(Number(rowsBefore[0].n)).toBe(0);
    await page.getByTestId('complete').click();

    // 6. Done, signed in, and the wizard is gone.
    await page.getByTestId('setup-done').waitFor();
    await shot(page, 'step-6-done');
    expect((await fs.readFile(world.product.config.encryptionKeyFile, 'utf8')).trim()).toBe(key);
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    expect(me).toMatchObject({ email: `admin@${DOMAIN}`, isAdmin: true });
    const gone = await page.goto(`${world.product.url}/setup`);
    expect(gone?.status()).toBe(404);

    await page.goto(`${world.product.url}/app/login?error=domain`);
    await shot(page, 'login-page');
    expect(await page.getByTestId('domain-message').textContent()).toBe(`Only @${DOMAIN} accounts can sign in.`);

    expect(problems).toEqual([]);
    expect(ours(page.url())).toBe(true);
    await context.close();
  }, 30_000);
});
