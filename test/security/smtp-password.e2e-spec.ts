import { UserRepository } from '../../src/database/repositories/user.repository';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';

jest.setTimeout(60_000);

const PASSWORD = 'stored-smtp-canary-Pa55';

/**
 * The stored SMTP password goes only to the server it was entered for. The "other" server below accepts that
 * password, so a mail arriving there would prove it had been sent; and STARTTLS is required unless the admin
 * chose plain SMTP.
 */
describe('the stored SMTP password', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let home: SmtpSink;
  let other: SmtpSink;
  let admin: HttpSession;

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    home = await startSmtpSink({ username: 'mailer', password: PASSWORD });
    other = await startSmtpSink({ username: 'mailer', password: PASSWORD });
    await prepareOrganization(product, fake, 'home.example');
    fake.control.seed({ accounts: [{ email: 'ada@home.example' }] });
    const { user, cookie } = await signInHomeUser(product, 'ada@home.example');
    await product.app.get(UserRepository).update(user.id, { isAdmin: true });
    admin = new HttpSession(product.url, cookie);
    const saved = await admin.json('PUT', '/api/admin/settings', {
      smtpHost: '127.0.0.1',
      smtpPort: home.port,
      smtpUsername: 'mailer',
      smtpPassword: PASSWORD,
      smtpSecurity: 'none',
      smtpFromAddress: 'bb@home.example',
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await product?.close();
    await fake?.close();
    await home?.close();
    await other?.close();
  });

  const stored = async () => (await admin.json<Record<string, unknown>>('GET', '/api/admin/settings')).body;

  it.each([
    ['another host', { smtpHost: 'localhost' }],
    ['another port', { smtpPort: 0 }],
    ['another user', { smtpUsername: 'someone-else' }],
    ['plain SMTP instead of TLS', { smtpSecurity: 'none' }],
  ])('%s without the password: 400, nothing saved, nothing sent', async (_name, change) => {
    const body = 'smtpPort' in change ? { smtpPort: other.port } : change;
    const before = await stored();
    if (_name === 'plain SMTP instead of TLS') {
      // Start from STARTTLS (with the password, as the rule asks), then try to lower it without.
      expect(
        (await admin.json('PUT', '/api/admin/settings', { smtpSecurity: 'starttls', smtpPassword: PASSWORD })).status,
      ).toBe(200);
    }
    const saved = await admin.json<{ error: string }>('PUT', '/api/admin/settings', body);
    expect(saved.status).toBe(400);
    expect(saved.body.error).toMatch(/requires the SMTP password again/);
    const test = await admin.json<{ error: string }>('POST', '/api/admin/settings/test-email', body);
    expect(test.status).toBe(400);
    expect(test.body.error).toMatch(/requires the SMTP password again/);
    expect(other.received).toHaveLength(0);
    if (_name === 'plain SMTP instead of TLS') {
      expect(
        (await admin.json('PUT', '/api/admin/settings', { smtpSecurity: 'none', smtpPassword: PASSWORD })).status,
      ).toBe(200);
    }
    expect(await stored()).toEqual(before);
  });

  it("with the password given again, the change is the admin's choice and goes through", async () => {
    const test = await admin.json('POST', '/api/admin/settings/test-email', {
      smtpPort: other.port,
      smtpPassword: PASSWORD,
    });
    expect(test.status).toBe(200);
    expect(await other.waitFor(1)).toHaveLength(1);
    const unchanged = await admin.json('PUT', '/api/admin/settings', {
      smtpHost: '127.0.0.1',
      smtpPort: home.port,
      smtpUsername: 'mailer',
    });
    expect(unchanged.status).toBe(200);
  });

  it('STARTTLS is required by default: a server that does not offer it never sees the password', async () => {
    expect(
      (await admin.json('PUT', '/api/admin/settings', { smtpSecurity: 'starttls', smtpPassword: PASSWORD })).status,
    ).toBe(200);
    expect((await stored()).smtpSecurity).toBe('starttls');
    const attempts = home.attempts;
    const test = await admin.json<{ error: string }>('POST', '/api/admin/settings/test-email', {});
    expect(test.status).toBe(400);
    expect(test.body.error).toMatch(/STARTTLS/i);
    expect(home.attempts).toBe(attempts);
    expect(
      (await admin.json('PUT', '/api/admin/settings', { smtpSecurity: 'none', smtpPassword: PASSWORD })).status,
    ).toBe(200);
    expect((await admin.json('POST', '/api/admin/settings/test-email', {})).status).toBe(200);
  });

  it('one host rule for the wizard, the admin API and the admin form', async () => {
    for (const bad of [
      'a b',
      'evil.example:25',
      'evil.example/x',
      '-evil.example',
      'evil..example',
      '[not-an-ip]',
      'x'.repeat(254),
    ]) {
      expect([
        bad,
        (await admin.json('PUT', '/api/admin/settings', { smtpHost: bad, smtpPassword: PASSWORD })).status,
      ]).toEqual([bad, 400]);
    }
    expect((await admin.json('PUT', '/api/admin/settings', { smtpHost: '[::1]', smtpPassword: PASSWORD })).status).toBe(
      200,
    );
    expect(
      (await admin.json('PUT', '/api/admin/settings', { smtpHost: '127.0.0.1', smtpPassword: PASSWORD })).status,
    ).toBe(200);
  });
});
