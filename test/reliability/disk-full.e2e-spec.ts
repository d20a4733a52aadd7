import { AlertQueueProcessor } from '../../src/alerts/alert-queue.processor';
import { User } from '../../src/database/entities';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { SyncWorld } from '../support/sync-world';
import {
  connectAll,
  managedCount,
  personActs,
  problems,
  prng,
  reliabilitySeed,
  RelUser,
  sleep,
} from './reliability-world';

/**
 * Issue 11: "a full disk mid-sync keeps the process up, raises one alert and converges afterwards".
 *
 * Simulated with `PRAGMA max_page_count` on the product's own connection, capped at the file's current size:
 * every write that needs one more page fails with SQLITE_FULL, exactly as when the disk has no room, while
 * writes that fit in existing pages still pass (as on a real full disk). Chosen over a small tmpfs because it
 * needs no root, runs the same in CI and on a developer's machine, and is deterministic; what it does not
 * cover is the OS refusing the WAL append mid-COMMIT (SQLite reports that as SQLITE_FULL too and rolls back).
 */
const USERS = 2;
const OUTAGE_ROUNDS = Number(process.env.DISK_FULL_ROUNDS ?? 30);

describe('a full disk mid-sync', () => {
  let world: SyncWorld;
  let users: RelUser[];
  let smtp: SmtpSink;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    smtp = await startSmtpSink();
    world = await SyncWorld.start(reliabilitySeed(USERS));
    users = await connectAll(world, USERS);
    await world.product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: String(smtp.port),
      [SETTING_KEYS.smtpSecurity]: 'none',
      [SETTING_KEYS.smtpFromAddress]: 'bb@corp.example',
      [SETTING_KEYS.alertsEnabled]: 'true',
    });
    await world.db.write((m) => m.getRepository(User).update({ id: users[0].user.id }, { isAdmin: true }));
    const rand = prng(21);
    for (let i = 0; i < 20; i++) personActs(world, users, rand);
    for (const u of users) await world.sync.fullResync(u.user.id);
  }, 60_000);
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await world?.close();
    await smtp?.close();
  });

  it('keeps serving, sends one alert, and converges once there is room again', async () => {
    expect(await problems(world, users)).toEqual([]);
    const q = (sql: string) => world.db.dataSource.query(sql) as Promise<Array<Record<string, number>>>;
    const [{ page_count: pages }] = await q('PRAGMA page_count');
    await q(`PRAGMA max_page_count = ${pages}`);
    // Use up the room left in alert_queue's pages too (with finished rows the alert job ignores), so the
    // alert itself cannot be queued: it must still reach the admin.
    let fillers = 0;
    for (; ; fillers++) {
      const filled = await q(
        `INSERT INTO alert_queue (alert_type, recipient_email, subject, body, dedup_key, sent_at, created_at) VALUES ('system_error', 'f@corp.example', 'f', 'f', 'f', datetime('now', '-30 days'), datetime('now', '-30 days'))`,
      ).then(
        () => false,
        (e: Error) => /SQLITE_FULL/.test(e.message) || Promise.reject(e),
      );
      if (filled) break;
    }
    const rand = prng(22);
    const errors: string[] = [];
    for (let i = 0; i < OUTAGE_ROUNDS; i++) {
      const row = personActs(world, users, rand);
      await world.sync.syncCalendarNow(row).catch((e: Error) => errors.push(e.message));
      if (i % 10 === 9) await world.sync.pollAll();
    }
    await world.sync.onIdle();
    // The process is up and answering while the disk is full.
    expect((await fetch(`${world.product.url}/health`)).status).toBeLessThan(500);
    const full = errors.filter((e) => /SQLITE_FULL/.test(e)).length;
    await sleep(500); // a mail on its way
    const mails = smtp.received.map((m) => m.subject);

    console.log(
      `disk full: ${fillers} filler rows, ${OUTAGE_ROUNDS} changes synced into a full database, ${full} syncs failed with SQLITE_FULL, ${mails.length} mail(s): ${JSON.stringify(mails)}`,
    );
    expect(full).toBeGreaterThan(OUTAGE_ROUNDS / 2);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/System error/);
    expect(smtp.received[0].text).toMatch(/disk is full/i);

    // Room again (the admin freed space): the hourly check and a poll round repair everything.
    await q('PRAGMA max_page_count = 1073741823');
    await world.sync.consistencyCheck();
    await world.sync.pollAll();
    await world.sync.onIdle();
    expect(await problems(world, users)).toEqual([]);
    expect(managedCount(world, users)).toBeGreaterThan(20);
    // The alert job runs and finds nothing more to say: still the one mail.
    await world.product.app.get(AlertQueueProcessor).processDue(new Date());
    await sleep(200);
    expect(smtp.received).toHaveLength(1);
    expect(rejections).toEqual([]);
  }, 120_000);
});
