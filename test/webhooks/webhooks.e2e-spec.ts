import { randomUUID } from 'node:crypto';
import { AlertQueueItem, SyncLog, WebhookChannel } from '../../src/database/entities';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { WEBHOOK_ROUTE, WebhookService } from '../../src/webhooks/webhook.service';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, connectAnn, MAIN, SEED, titles } from '../sync/sync-fixtures';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
  return Date.now() - started;
}

describe('webhooks against the emulator', () => {
  let world: SyncWorld;
  let ann: Ann;
  let webhooks: WebhookService;
  const channelRows = () => world.db.reader.getRepository(WebhookChannel).find({ order: { id: 'ASC' } });
  const calendars = () => [ann.main, ann.a, ann.b, ann.c, ann.personal];

  beforeEach(async () => {
    // Polling out of the way: only push notifications trigger syncs here.
    world = await SyncWorld.start(SEED, { SYNC_POLL_SECONDS: '86400' });
    ann = await connectAnn(world);
    await world.sync.fullResync(ann.user.id);
    webhooks = world.product.app.get(WebhookService);
  });
  afterEach(async () => {
    await world.close();
  });

  it('registers one channel per calendar with a random token stored only as its hash', async () => {
    for (const cal of calendars()) await webhooks.registerFor(cal.id);
    const rows = await channelRows();
    expect(rows.map((r) => r.clientCalendarId)).toEqual(calendars().map((c) => c.id));
    const live = world.fake.control.channels();
    expect(live).toHaveLength(5);
    for (const ch of live) {
      expect(ch.address).toBe(`${world.product.url}${WEBHOOK_ROUTE}`);
      expect(Buffer.from(ch.token!, 'base64url')).toHaveLength(32);
      const row = rows.find((r) => r.channelId === ch.id)!;
      expect(ch.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.resourceId).toBe(ch.resourceId);
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(ch.token!);
      expect(Math.abs(row.expiration.getTime() - ch.expiration)).toBeLessThan(1000);
    }
    expect(new Set(live.map((c) => c.token)).size).toBe(5);
    // Google's "sync" message right after each watch: acknowledged, nothing synced.
    await eventually(() => world.fake.control.deliveries().filter((d) => d.state === 'sync').length === 5);
    expect(world.fake.control.deliveries().map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('a change on a client calendar reaches main within seconds through the webhook alone', async () => {
    await webhooks.registerFor(ann.a.id);
    await webhooks.registerFor(ann.main.id);
    world.fake.control.createEvent(A, A, { summary: 'Pushed kickoff', ...at(10) });
    const elapsed = await eventually(() => titles(world, MAIN).includes('Pushed kickoff'), 30_000);
    expect(elapsed).toBeLessThan(30_000);
    const exists = world.fake.control.deliveries().filter((d) => d.state === 'exists');
    expect(exists.length).toBeGreaterThan(0);
    expect(exists.every((d) => d.status === 200)).toBe(true);
  });

  it('while sync is paused a notification is acknowledged and nothing syncs', async () => {
    await webhooks.registerFor(ann.a.id);
    await eventually(() => world.fake.control.deliveries().length === 1);
    await world.product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: 'true' });
    world.fake.control.clearCallLog();
    world.fake.control.createEvent(A, A, { summary: 'During pause', ...at(10) });
    await eventually(() => world.fake.control.deliveries().some((d) => d.state === 'exists'));
    await sleep(500);
    await world.sync.onIdle();
    expect(
      world.fake.control
        .deliveries()
        .filter((d) => d.state === 'exists')
        .map((d) => d.status),
    ).toEqual([200]);
    expect(world.fake.control.callLog().filter((c) => c.kind === 'events.list')).toEqual([]);
    expect(titles(world, MAIN)).not.toContain('During pause');
  });

  it('coalesces a burst of notifications into a few syncs, and the last change is not missed', async () => {
    await webhooks.registerFor(ann.a.id);
    await eventually(() => world.fake.control.deliveries().length === 1);
    world.fake.control.clearCallLog();
    for (let i = 0; i < 30; i++)
      world.fake.control.createEvent(A, A, { summary: `Burst ${i}`, ...at(8 + (i % 10), 15) });
    await eventually(() => titles(world, MAIN).filter((t) => t.startsWith('Burst')).length === 30, 15_000);
    await world.sync.onIdle();
    const lists = world.fake.control.callLog().filter((c) => c.kind === 'events.list' && c.calendarId === A);
    expect(world.fake.control.deliveries().filter((d) => d.state === 'exists').length).toBe(30);
    expect(lists.length).toBeLessThanOrEqual(4);
  });

  it('10,000 forged notifications queue nothing and never answer 5xx', async () => {
    await webhooks.registerFor(ann.a.id);
    const [channel] = await channelRows();
    await eventually(() => world.fake.control.deliveries().length === 1);
    await world.sync.onIdle();
    // The product's own cron jobs (token refresh, renewal) stay quiet, so any Google call would be the forgeries'.
    // Valid notifications would answer 200 while paused, which the status check below refuses.
    await world.product.app.get(SettingsService).set({ [SETTING_KEYS.syncPaused]: 'true' });
    world.fake.control.clearCallLog();
    const logsBefore = await world.db.reader.getRepository(SyncLog).count();
    const url = `${world.product.url}${WEBHOOK_ROUTE}`;
    const forgeries: Array<() => Record<string, string>> = [
      () => ({
        'X-Goog-Channel-ID': randomUUID(),
        'X-Goog-Channel-Token': 'x',
        'X-Goog-Resource-State': 'exists',
        'X-Goog-Resource-ID': channel.resourceId,
      }),
      () => ({
        'X-Goog-Channel-ID': channel.channelId,
        'X-Goog-Channel-Token': randomUUID(),
        'X-Goog-Resource-State': 'exists',
        'X-Goog-Resource-ID': channel.resourceId,
      }),
      () => ({
        'X-Goog-Channel-ID': channel.channelId,
        'X-Goog-Resource-State': 'exists',
        'X-Goog-Resource-ID': channel.resourceId,
      }),
      () => ({
        'X-Goog-Channel-ID': channel.channelId,
        'X-Goog-Channel-Token': channel.tokenHash!,
        'X-Goog-Resource-State': 'exists',
      }),
      () => ({ 'X-Goog-Channel-ID': 'x'.repeat(5000), 'X-Goog-Resource-State': 'exists' }),
      () => ({ 'X-Goog-Channel-ID': `' OR 1=1 --`, 'X-Goog-Channel-Token': '', 'X-Goog-Resource-State': 'exists' }),
      () => ({ 'X-Goog-Resource-State': 'exists' }),
      () => ({}),
    ];
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 200; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const headers = forgeries[(batch * 50 + i) % forgeries.length]();
          const res = await fetch(url, { method: 'POST', headers });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }),
      );
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect([...statuses.keys()].every((s) => [400, 403, 404, 429].includes(s))).toBe(true);
    // The checks answered before the stricter webhook rate limit took over.
    expect((statuses.get(403) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(500);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
    await sleep(1500);
    await world.sync.onIdle();
    expect(world.fake.control.callLog()).toEqual([]);
    expect(await world.db.reader.getRepository(SyncLog).count()).toBe(logsBefore);
  });

  it('renews channels expiring within 24 hours, opens missing ones and stops those of disconnected calendars', async () => {
    world.fake.control.setMaxChannelTtl(3600);
    for (const cal of [ann.main, ann.a, ann.b]) await webhooks.registerFor(cal.id);
    const before = await channelRows();
    await world.db.write((m) =>
      m.query(`UPDATE client_calendars SET is_active = 0, disconnected_at = datetime('now') WHERE id = ?`, [ann.b.id]),
    );
    world.fake.control.setMaxChannelTtl(7 * 86400);

    const result = await webhooks.renewExpiring();

    expect(result).toEqual({ renewed: 2, registered: 2, stopped: 1, failed: 0 });
    const after = await channelRows();
    expect(after.map((r) => r.clientCalendarId).sort()).toEqual(
      [ann.main.id, ann.a.id, ann.c.id, ann.personal.id].sort(),
    );
    for (const row of after) expect(before.map((b) => b.channelId)).not.toContain(row.channelId);
    expect(
      world.fake.control
        .channels()
        .map((c) => c.id)
        .sort(),
    ).toEqual(after.map((r) => r.channelId).sort());
    for (const row of after) expect(row.expiration.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // Nothing left to do on the next run.
    await expect(webhooks.renewExpiring()).resolves.toEqual({ renewed: 0, registered: 0, stopped: 0, failed: 0 });
  });

  it('stops channels for a calendar, a user, and everything', async () => {
    for (const cal of calendars()) await webhooks.registerFor(cal.id);
    await expect(webhooks.stopFor(ann.a.id)).resolves.toBe(1);
    expect(world.fake.control.channels()).toHaveLength(4);
    await expect(webhooks.stopAllForUser(ann.user.id)).resolves.toBe(4);
    expect(world.fake.control.channels()).toEqual([]);
    await webhooks.registerFor(ann.b.id);
    await expect(webhooks.stopAll()).resolves.toBe(1);
    expect(world.fake.control.channels()).toEqual([]);
    expect(await channelRows()).toEqual([]);
  });

  it('a failed registration alerts the admins and leaves no channel row', async () => {
    await world.product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: '1',
      [SETTING_KEYS.smtpFromAddress]: 'bb@home.example',
      [SETTING_KEYS.alertEmails]: 'ops@home.example',
      [SETTING_KEYS.syncPaused]: 'true',
    });
    world.fake.control.injectFault({ kind: 'events.watch', status: 400, reason: 'invalid' });
    await expect(webhooks.registerFor(ann.a.id)).rejects.toThrow();
    expect(await channelRows()).toEqual([]);
    const alerts = await world.db.reader.getRepository(AlertQueueItem).find();
    expect(alerts.map((a) => [a.alertType, a.recipientEmail, a.calendarId])).toEqual([
      ['webhook_registration_failed', 'ops@home.example', ann.a.id],
    ]);
  });
});
