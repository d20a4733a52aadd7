import { randomBytes } from 'node:crypto';
import { AlertQueueProcessor, MAX_SEND_ATTEMPTS, RETRY_BASE_MS } from '../../src/alerts/alert-queue.processor';
import { AlertsService } from '../../src/alerts/alerts.service';
import { MailSendError, MailService } from '../../src/alerts/mail.service';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { AlertQueueItem, User } from '../../src/database/entities';
import { JsonLogger } from '../../src/logging/json-logger';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { RunningProduct, startProduct } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';

const SMTP_USER = 'alerts@corp.example';
const SMTP_PASSWORD = 'canary-smtp-Pa55word-9f8e7d';

describe('email alerts through a real SMTP server', () => {
  let product: RunningProduct;
  let smtp: SmtpSink;
  let alerts: AlertsService;
  let processor: AlertQueueProcessor;
  let db: DatabaseService;
  let userId: number;

  const queue = () => db.reader.getRepository(AlertQueueItem).find({ order: { id: 'ASC' } });
  const configureSmtp = (extra: Record<string, string | null> = {}) =>
    product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: String(smtp.port),
      [SETTING_KEYS.smtpUsername]: SMTP_USER,
      [SETTING_KEYS.smtpPassword]: SMTP_PASSWORD,
      // The sink is a plain local relay: the admin's explicit choice.
      [SETTING_KEYS.smtpSecurity]: 'none',
      [SETTING_KEYS.smtpFromAddress]: 'BusyBridge <busybridge@corp.example>',
      [SETTING_KEYS.alertsEnabled]: 'true',
      [SETTING_KEYS.alertEmails]: 'oncall@corp.example, ops@corp.example',
      ...extra,
    });

  beforeEach(async () => {
    smtp = await startSmtpSink({ username: SMTP_USER, password: SMTP_PASSWORD });
    product = await startProduct({ TZ: 'Europe/Berlin' });
    product.app.get(EncryptionService).useKey(randomBytes(32));
    // The every-minute alert job would race the processor calls below; these tests drive it by hand.
    await product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: 'true' });
    db = product.app.get(DatabaseService);
    alerts = product.app.get(AlertsService);
    processor = product.app.get(AlertQueueProcessor);
    await db.write(async (m) => {
      const users = m.getRepository(User);
      await users.insert({ email: 'admin@corp.example', googleUserId: 'g-admin', isAdmin: true });
      const result = await users.insert({
        email: 'consultant@corp.example',
        googleUserId: 'g-user',
        displayName: 'Con Sultant',
      });
      userId = result.identifiers[0].id as number;
    });
  });
  afterEach(async () => {
    await product.close();
    await smtp.close();
  });

  it('without SMTP configured nothing is queued and nothing fails', async () => {
    await expect(alerts.raise({ type: 'system_error', error: 'database is locked' })).resolves.toEqual({
      queued: 0,
      skipped: 'disabled',
    });
    await expect(
      alerts.raise({ type: 'token_revoked', userId, calendarId: 7, error: 'invalid_grant' }),
    ).resolves.toMatchObject({ queued: 0 });
    expect(await queue()).toEqual([]);
    await expect(processor.processDue()).resolves.toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(smtp.attempts).toBe(0);
  });

  it('alerts switched off by the admin queue nothing even with SMTP configured', async () => {
    await configureSmtp({ [SETTING_KEYS.alertsEnabled]: 'false' });
    await expect(alerts.raise({ type: 'system_error', error: 'boom' })).resolves.toEqual({
      queued: 0,
      skipped: 'disabled',
    });
    expect(await queue()).toEqual([]);
  });

  it('sends text + HTML mails with time, calendar, error, action and links to the user, admins and the alert list', async () => {
    await configureSmtp();
    const outcome = await alerts.raise(
      {
        type: 'calendar_inaccessible',
        userId,
        calendarId: 42,
        calendarName: 'Acme <Projects>',
        error: 'Google answered 404 Not Found for calendar acme-projects (token ya29.secretAccessToken123)',
      },
      new Date('2026-11-24T09:30:00Z'),
    );
    expect(outcome).toEqual({ queued: 4 });
    await expect(processor.processDue()).resolves.toEqual({ sent: 4, retrying: 0, failed: 0 });
    const mails = await smtp.waitFor(4);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([
      'admin@corp.example',
      'consultant@corp.example',
      'oncall@corp.example',
      'ops@corp.example',
    ]);
    for (const mail of mails) {
      expect(mail.from).toBe('busybridge@corp.example');
      expect(mail.subject).toBe('[BusyBridge] Calendar inaccessible: Acme <Projects>');
      // Time in TZ (Europe/Berlin: 10:30), the calendar, the error (redacted) and what to do.
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('24 Nov 2026, 10:30:00');
        expect(part).toContain('404 Not Found for calendar acme-projects');
        expect(part).toContain('[REDACTED]');
        expect(part).not.toContain('ya29.secretAccessToken123');
        expect(part).toContain('Check that the calendar still exists');
        expect(part).toContain(`${product.url}/app`);
        expect(part).toContain(`${product.url}/app/settings`);
      }
      expect(mail.text).toContain('Calendar:         Acme <Projects>');
      expect(mail.html).toContain('Acme &lt;Projects&gt;');
      expect(mail.html).toContain(`href="${product.url}/app/settings"`);
      expect(mail.html).toContain(`href="${product.url}/app"`);
    }
    const toUser = mails.find((m) => m.to[0] === 'consultant@corp.example')!;
    expect(toUser.text).toContain('one of your calendars is affected');
    const toAdmin = mails.find((m) => m.to[0] === 'admin@corp.example')!;
    expect(toAdmin.text).toContain('User:             consultant@corp.example');
    expect((await queue()).every((row) => row.sentAt !== null && row.attempts === 1)).toBe(true);
  });

  it('admin-only types skip the user; a user who opted out gets nothing', async () => {
    await configureSmtp({ [SETTING_KEYS.alertEmails]: '' });
    await alerts.raise({ type: 'webhook_registration_failed', userId, calendarId: 3, error: 'watch answered 401' });
    expect((await queue()).map((r) => r.recipientEmail)).toEqual(['admin@corp.example']);
    await db.write((m) =>
      m
        .getRepository(User)
        .update(userId, { emailAlerts: false })
        .then(() => undefined),
    );
    await alerts.raise({ type: 'sync_failures', userId, calendarId: 3, error: '5 consecutive failures' });
    expect((await queue()).map((r) => `${r.alertType}:${r.recipientEmail}`)).toEqual([
      'webhook_registration_failed:admin@corp.example',
      'sync_failures:admin@corp.example',
    ]);
  });

  it('de-duplicates the same type and calendar within an hour', async () => {
    await configureSmtp();
    const now = new Date();
    await expect(alerts.raise({ type: 'sync_failures', userId, calendarId: 5, error: 'x' }, now)).resolves.toEqual({
      queued: 4,
    });
    await expect(alerts.raise({ type: 'sync_failures', userId, calendarId: 5, error: 'y' }, now)).resolves.toEqual({
      queued: 0,
      skipped: 'duplicate',
    });
    // Concurrent raises: the check and the insert share one transaction, so still one set.
    await Promise.all(
      [1, 2, 3].map(() => alerts.raise({ type: 'sync_failures', userId, calendarId: 5, error: 'z' }, now)),
    );
    // Another calendar or another type is a different alert.
    await expect(alerts.raise({ type: 'sync_failures', userId, calendarId: 6, error: 'x' }, now)).resolves.toEqual({
      queued: 4,
    });
    await expect(
      alerts.raise({ type: 'calendar_inaccessible', userId, calendarId: 5, error: 'x' }, now),
    ).resolves.toEqual({ queued: 4 });
    expect(await queue()).toHaveLength(12);
    await processor.processDue();
    await smtp.waitFor(12);
    // An hour later the same alert goes out again.
    const later = new Date(now.getTime() + 61 * 60 * 1000);
    await expect(alerts.raise({ type: 'sync_failures', userId, calendarId: 5, error: 'x' }, later)).resolves.toEqual({
      queued: 4,
    });
  });

  it('retries a refused send with exponential backoff, then delivers', async () => {
    await configureSmtp({ [SETTING_KEYS.alertEmails]: '' });
    await alerts.raise({ type: 'system_error', error: 'SQLITE_FULL: database or disk is full' });
    smtp.refuseNext(2);
    const t0 = new Date();
    await expect(processor.processDue(t0)).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = await queue();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('451');
    expect(row.nextAttemptAt!.getTime()).toBe(t0.getTime() + RETRY_BASE_MS);
    // Not due yet: nothing is attempted.
    await expect(processor.processDue(new Date(t0.getTime() + RETRY_BASE_MS - 1000))).resolves.toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(smtp.attempts).toBe(1);
    const t1 = new Date(t0.getTime() + RETRY_BASE_MS);
    await expect(processor.processDue(t1)).resolves.toEqual({ sent: 0, retrying: 1, failed: 0 });
    [row] = await queue();
    expect(row.nextAttemptAt!.getTime()).toBe(t1.getTime() + 2 * RETRY_BASE_MS);
    const t2 = new Date(t1.getTime() + 2 * RETRY_BASE_MS);
    await expect(processor.processDue(t2)).resolves.toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.attempts).toBe(3);
    [row] = await queue();
    expect(row).toMatchObject({ attempts: 3, failedAt: null });
    expect(row.sentAt).not.toBeNull();
    expect((await smtp.waitFor(1))[0].text).toContain('SQLITE_FULL');
  });

  it('gives up after three retries and marks the alert failed', async () => {
    await configureSmtp({ [SETTING_KEYS.alertEmails]: '' });
    await alerts.raise({ type: 'system_error', error: 'boom' });
    smtp.refuseNext(100);
    let at = new Date();
    for (let attempt = 1; attempt <= MAX_SEND_ATTEMPTS; attempt++) {
      const result = await processor.processDue(at);
      expect(result).toEqual(
        attempt < MAX_SEND_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0 } : { sent: 0, retrying: 0, failed: 1 },
      );
      at = new Date(at.getTime() + RETRY_BASE_MS * 2 ** (attempt - 1));
    }
    const [row] = await queue();
    expect(row).toMatchObject({ attempts: 4, sentAt: null, nextAttemptAt: null });
    expect(row.failedAt).not.toBeNull();
    await expect(processor.processDue(new Date(at.getTime() + 86_400_000))).resolves.toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(smtp.attempts).toBe(4);
    expect(smtp.received).toHaveLength(0);
  });

  it('sendTestEmail uses the given settings, and a wrong password fails with a clear message and no secret in the logs', async () => {
    const mail = product.app.get(MailService);
    const settings = {
      host: '127.0.0.1',
      port: smtp.port,
      username: SMTP_USER,
      password: SMTP_PASSWORD,
      fromAddress: 'bb@corp.example',
      security: 'none' as const,
    };
    await mail.sendTestEmail(settings, 'admin@corp.example');
    const [received] = await smtp.waitFor(1);
    expect(received.to).toEqual(['admin@corp.example']);
    expect(received.subject).toBe('BusyBridge test email');

    const lines: string[] = [];
    const logger = new JsonLogger('debug', (line) => lines.push(line));
    const wrong = { ...settings, password: 'wrong-password-canary-4711' };
    const failure = mail.sendTestEmail(wrong, 'admin@corp.example');
    await expect(failure).rejects.toBeInstanceOf(MailSendError);
    await expect(failure).rejects.toThrow(/535|auth/i);
    const message = await failure.catch((e: Error) => e.message);
    logger.error('test email failed', { error: message, settings: wrong });
    expect(message).not.toContain('wrong-password-canary-4711');
    expect(lines.join('\n')).not.toContain('wrong-password-canary-4711');
    expect(lines.join('\n')).not.toContain(SMTP_PASSWORD);
  });
});
