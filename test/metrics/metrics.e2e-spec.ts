import { promises as fs } from 'node:fs';
import { GOOGLE_METHOD_NAMES } from '../../src/metrics/google-call-names';
import { WebhookService } from '../../src/webhooks/webhook.service';
import { startProduct } from '../support/product';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, B, C, connectAnn, MAIN, PERSONAL, SEED, titles } from '../sync/sync-fixtures';
import { parsePromText, Sample, total } from './prom-text';
import { eventually, sleep } from './wait';

jest.setTimeout(90_000);

const TOKEN = 'metrics-e2e-token-0123456789';
function scrape(url: string, authorization?: string): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: authorization ? { authorization } : {} });
}

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const product = await startProduct();
    try {
      expect((await scrape(product.url, `Bearer ${TOKEN}`)).status).toBe(404);
    } finally {
      await product.close();
    }
  });

  describe('after syncs through the emulator', () => {
    let world: SyncWorld;
    let ann: Ann;
    const startedAt = Date.now() / 1000;

    beforeAll(async () => {
      // Polls and renewals only when the test asks: the call log then holds exactly the product's calls.
      world = await SyncWorld.start(SEED, { SYNC_POLL_SECONDS: '86400', METRICS_TOKEN: TOKEN });
      ann = await connectAnn(world);
      await world.sync.fullResync(ann.user.id);
    });
    afterAll(async () => {
      await world?.close();
    });

    it('answers 401 to a missing or wrong token, without a body worth reading', async () => {
      const missing = await scrape(world.product.url);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect((await scrape(world.product.url, `Bearer ${TOKEN}x`)).status).toBe(401);
      expect((await scrape(world.product.url, `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)).status).toBe(
        401,
      );
      expect(await (await scrape(world.product.url, 'Bearer nope')).text()).not.toContain('busybridge_');
    });

    it('shows every metric with the values the run produced', async () => {
      const webhooks = world.product.app.get(WebhookService);
      // A change pushed by a webhook reaches main: propagation observed with trigger=webhook.
      await webhooks.registerFor(ann.a.id);
      await webhooks.registerFor(ann.main.id);
      await eventually(
        () => world.fake.control.deliveries().filter((d) => d.state === 'sync').length,
        (n) => n === 2,
      );
      world.fake.control.createEvent(A, A, { summary: 'Pushed kickoff', ...at(10) });
      await eventually(
        () => titles(world, MAIN),
        (t) => t.includes('Pushed kickoff'),
      );
      await world.sync.onIdle();

      // A change found by the poll, with one throttled answer on the way (Retry-After 1 s).
      world.fake.control.injectFault({
        kind: 'events.list',
        status: 429,
        reason: 'rateLimitExceeded',
        retryAfter: 1,
        times: 1,
      });
      for (const h of [8, 9, 11, 12]) world.fake.control.createEvent(B, B, { summary: `Polled ${h}`, ...at(h) });
      await world.sync.pollAll();
      await world.sync.onIdle();
      expect(titles(world, MAIN)).toContain('Polled 8');
      await world.sync.consistencyCheck();

      // The safety valve: B suddenly lists none of its events on a full listing.
      for (const e of world.live(B).filter((x) => String(x.data.summary).startsWith('Polled')))
        world.fake.control.deleteEvent(B, B, e.id);
      world.fake.control.invalidateSyncTokens(B);
      expect((await world.sync.syncCalendarNow(ann.b.id)).valve).toBe(true);

      const { samples, calls } = await quietScrape();
      const value = (name: string, labels: Record<string, string> = {}) => total(samples, name, labels);

      expect(value('busybridge_sync_runs_total', { kind: 'full', outcome: 'success' })).toBeGreaterThanOrEqual(5);
      expect(value('busybridge_sync_runs_total', { kind: 'incremental', outcome: 'success' })).toBeGreaterThanOrEqual(
        5,
      );
      expect(value('busybridge_sync_runs_total', { kind: 'consistency', outcome: 'success' })).toBe(5);
      expect(value('busybridge_sync_runs_total', { outcome: 'valve' })).toBe(1);
      expect(value('busybridge_safety_valve_trips_total')).toBe(1);
      expect(value('busybridge_sync_run_duration_seconds_count')).toBe(value('busybridge_sync_runs_total'));

      for (const trigger of ['webhook', 'poll']) {
        const count = value('busybridge_propagation_seconds_count', { trigger });
        expect(count).toBeGreaterThanOrEqual(1);
        const mean = value('busybridge_propagation_seconds_sum', { trigger }) / count;
        expect(mean).toBeGreaterThan(0);
        expect(mean).toBeLessThan(20);
      }

      // Every Calendar API request the emulator saw, counted by the same method names.
      for (const method of GOOGLE_METHOD_NAMES) {
        expect([method, value('busybridge_google_calls_total', { method })]).toEqual([method, calls[method] ?? 0]);
        expect(value('busybridge_google_call_duration_seconds_count', { method })).toBe(calls[method] ?? 0);
      }
      expect(value('busybridge_google_calls_total', { method: 'other' })).toBe(0);
      expect(value('busybridge_google_calls_total', { status_class: '4xx' })).toBeGreaterThanOrEqual(2); // the 429 and the 410
      expect(value('busybridge_google_throttled_total', { method: 'events.list' })).toBe(1);
      expect(value('busybridge_google_retry_after_seconds_sum')).toBe(1);

      const writes = world.writes();
      expect(value('busybridge_writes_total', { kind: 'upsertMainCopy' })).toBeGreaterThanOrEqual(5);
      expect(value('busybridge_writes_total', { kind: 'upsertBusyBlock' })).toBeGreaterThanOrEqual(10);
      expect(value('busybridge_writes_total')).toBeLessThanOrEqual(Object.values(writes).reduce((a, b) => a + b, 0));

      expect(value('busybridge_webhook_notifications_total', { result: 'sync_ack' })).toBe(2);
      expect(value('busybridge_webhook_notifications_total', { result: 'queued' })).toBeGreaterThanOrEqual(1);

      expect(value('busybridge_push_channels', { state: 'active' })).toBe(2);
      expect(value('busybridge_push_channels', { state: 'expired' })).toBe(0);
      const soonest = value('busybridge_push_channel_soonest_expiry_timestamp_seconds');
      const firstExpiry = Math.min(...world.fake.control.channels().map((c) => c.expiration)) / 1000;
      expect(Math.abs(soonest - firstExpiry)).toBeLessThan(2);

      expect(value('busybridge_connections', { state: 'ok' })).toBe(4);
      expect(value('busybridge_connections', { state: 'failing' })).toBe(1); // B, held by the valve
      expect(value('busybridge_connections', { state: 'needs_reauth' })).toBe(0);
      for (const kind of ['main', 'client', 'personal']) {
        const last = value('busybridge_last_successful_sync_timestamp_seconds', { calendar_kind: kind });
        expect(last).toBeGreaterThanOrEqual(Math.floor(startedAt));
        expect(last).toBeLessThanOrEqual(Date.now() / 1000 + 1);
      }

      const ours = (cal: string) =>
        world.live(cal).filter((e) => e.data.extendedProperties?.private?.busybridge === '1').length;
      expect(value('busybridge_managed_events', { kind: 'main_copy' })).toBe(ours(MAIN));
      expect(value('busybridge_managed_events', { kind: 'busy_block' })).toBe(
        ours(A) + ours(B) + ours(C) + ours(PERSONAL),
      );
      // Alerts are switched off in this world: every type is listed, with nothing queued.
      expect(samples.filter((s) => s.name === 'busybridge_alert_emails').length).toBeGreaterThanOrEqual(15);
      expect(value('busybridge_alert_emails')).toBe(0);

      const dbSize = (await fs.stat(world.product.config.databasePath)).size;
      expect(value('busybridge_database_size_bytes', { file: 'database' })).toBeGreaterThan(0);
      expect(value('busybridge_database_size_bytes', { file: 'database' })).toBeLessThanOrEqual(dbSize * 2);
      expect(value('busybridge_database_size_bytes', { file: 'wal' })).toBeGreaterThanOrEqual(0);
      expect(value('busybridge_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
      expect(value('busybridge_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

      expectNoPersonalDataInLabels(samples);
    });

    /** Scrape between two identical readings of the call log, so no late push notification slips in between. */
    async function quietScrape(): Promise<{ samples: Sample[]; calls: Record<string, number> }> {
      for (let attempt = 0; attempt < 20; attempt++) {
        await sleep(1200); // the notification coalescer's window
        await world.sync.onIdle();
        const before = JSON.stringify(world.fake.control.callCounts());
        const res = await scrape(world.product.url, `Bearer ${TOKEN}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/plain');
        const text = await res.text();
        if (JSON.stringify(world.fake.control.callCounts()) === before)
          return { samples: parsePromText(text).samples, calls: JSON.parse(before) };
      }
      throw new Error('the product never went quiet');
    }
  });
});

/** Labels are internal ids and enums: no email address, calendar name or event title. */
function expectNoPersonalDataInLabels(samples: Sample[]): void {
  const labelText = samples.map((s) => Object.values(s.labels).join(' ')).join(' ');
  expect(labelText).not.toMatch(/@/);
  for (const leak of ['Pushed', 'Polled', 'kickoff', 'example']) expect(labelText).not.toContain(leak);
  for (const s of samples) expect(s.name.startsWith('busybridge_')).toBe(true);
}
