import { SchedulerRegistry } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { AlertQueueItem, SyncLog, User } from '../../src/database/entities';
import { alertOnUnhandledRejections } from '../../src/alerts/unhandled-rejections';
import { JOB_NAMES } from '../../src/jobs/job-definitions';
import { JobLockService } from '../../src/jobs/job-lock.service';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { RunningProduct, startProduct } from '../support/product';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';

describe('scheduled jobs in the running product', () => {
  let product: RunningProduct;
  let smtp: SmtpSink;
  let runner: JobRunner;
  let db: DatabaseService;
  const oldLog = new Date(Date.now() - 100 * 86_400_000);

  beforeEach(async () => {
    smtp = await startSmtpSink();
    product = await startProduct({ TZ: 'America/New_York', JOBS_ENABLED: 'true' });
    product.app.get(EncryptionService).useKey(randomBytes(32));
    runner = product.app.get(JobRunner);
    db = product.app.get(DatabaseService);
    await product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: String(smtp.port),
      [SETTING_KEYS.smtpSecurity]: 'none',
      [SETTING_KEYS.smtpFromAddress]: 'bb@corp.example',
      [SETTING_KEYS.alertsEnabled]: 'true',
    });
    await db.write(async (m) => {
      await m.getRepository(User).insert({ email: 'admin@corp.example', googleUserId: 'g-admin', isAdmin: true });
      await m.getRepository(SyncLog).insert({ action: 'sync', status: 'success', createdAt: oldLog });
    });
  });
  afterEach(async () => {
    await product.close();
    await smtp.close();
  });

  it('registers every scheduled job with @nestjs/schedule, daily times in TZ', () => {
    const registry = product.app.get(SchedulerRegistry);
    const crons = registry.getCronJobs();
    expect([...crons.keys(), ...registry.getIntervals()].sort()).toEqual([...JOB_NAMES].sort());
    const retention = crons.get('retention-cleanup')!.nextDate().setZone('America/New_York');
    expect([retention.hour, retention.minute]).toEqual([3, 0]);
    const stale = crons.get('stale-alert-cleanup')!.nextDate().setZone('America/New_York');
    expect([stale.hour, stale.minute]).toEqual([4, 0]);
    // 3 AM in New York is 07:00 or 08:00 UTC, not 03:00.
    expect([7, 8]).toContain(crons.get('retention-cleanup')!.nextDate().toUTC().hour);
    expect(registry.getIntervals()).toEqual(['periodic-sync']);
  });

  it('runs a job through the lock and its service', async () => {
    await expect(runner.run('retention-cleanup')).resolves.toBe('done');
    expect(await db.reader.getRepository(SyncLog).count()).toBe(0);
  });

  it('every job reaches its service in the assembled product (none unavailable)', async () => {
    for (const name of JOB_NAMES) await expect(runner.run(name)).resolves.toBe('done');
  });

  it('skips every job while sync is paused', async () => {
    await product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: 'true' });
    for (const name of JOB_NAMES) await expect(runner.run(name)).resolves.toBe('paused');
    expect(await db.reader.getRepository(SyncLog).count()).toBe(1);
  });

  it('skips a run while another holds the lock', async () => {
    let release!: () => void;
    const held = product.app
      .get(JobLockService)
      .runExclusive('retention-cleanup', () => new Promise<void>((r) => (release = r)), { staleAfterMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    await expect(runner.run('retention-cleanup')).resolves.toBe('locked');
    expect(await db.reader.getRepository(SyncLog).count()).toBe(1);
    release();
    await held;
    await expect(runner.run('retention-cleanup')).resolves.toBe('done');
  });

  it('a job that throws is logged and alerted, and the process and the other jobs go on', async () => {
    // A real fault: the table the cleanup deletes from is gone.
    await db.write((m) => m.query('DROP TABLE sync_log'));
    await expect(runner.run('retention-cleanup')).resolves.toBe('failed');
    const alerts = await db.reader.getRepository(AlertQueueItem).find();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      alertType: 'system_error',
      recipientEmail: 'admin@corp.example',
      dedupKey: 'system_error:job:retention-cleanup',
    });
    expect(alerts[0].body).toContain('Scheduled job "retention-cleanup" failed');
    // Failing again within the hour does not alert twice.
    await expect(runner.run('retention-cleanup')).resolves.toBe('failed');
    expect(await db.reader.getRepository(AlertQueueItem).count()).toBe(1);
    // The alert job delivers it.
    await expect(runner.run('alert-queue')).resolves.toBe('done');
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toContain('System error');
    expect(mail.text).toContain('no such table: sync_log');
    const health = await fetch(`${product.url}/health`);
    expect(health.status).toBe(200);
  });

  it('an unhandled rejection anywhere is alerted instead of ending the process', async () => {
    const dispose = alertOnUnhandledRejections(product.app);
    try {
      process.emit('unhandledRejection', new Error('stray failure in a fire-and-forget call'), Promise.resolve());
      const until = Date.now() + 5000;
      while ((await db.reader.getRepository(AlertQueueItem).count()) === 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      const [alert] = await db.reader.getRepository(AlertQueueItem).find();
      expect(alert).toMatchObject({ alertType: 'system_error', dedupKey: 'system_error:process:unhandled-rejection' });
      expect(alert.body).toContain('stray failure in a fire-and-forget call');
    } finally {
      dispose();
    }
  });
});
