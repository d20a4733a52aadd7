import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JobName } from '../../src/jobs/job-definitions';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { User } from '../../src/database/entities';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { WebhookService } from '../../src/webhooks/webhook.service';
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
 * Issue 11: "a one-hour soak in compressed time shows heap and RSS flat, the WAL bounded, no leaked timers or
 * channels". One tick = one simulated minute: the emulator's clock moves a minute (access tokens and push
 * channels expire in that time), people change calendars and Google pushes the changes to the product's
 * webhook, the 1-second poll runs, and the product's own jobs run on their simulated schedule (alerts every
 * minute, channel renewal, token refresh and retention every 10, the consistency check every 30), with a few
 * injected 503s. Sampled every tick after a forced GC: heap, RSS, WAL size, active handles/timers, channels.
 * The suite runs SOAK_MINUTES=60; `npm run soak:security` runs 360 (six simulated hours).
 */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const USERS = 2;
const CHANNEL_TTL_S = 20 * 60;
const TOKEN_LIFETIME_S = 30 * 60;

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  minute: number;
  heap: number;
  rss: number;
  wal: number;
  timers: number;
  handles: number;
  channels: number;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const MB = 1024 * 1024;
const fileSize = (f: string) => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

describe(`soak: ${MINUTES} simulated minutes`, () => {
  let world: SyncWorld;
  let users: RelUser[];
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    world = await SyncWorld.start(reliabilitySeed(USERS), { SYNC_POLL_SECONDS: '1' });
    users = await connectAll(world, USERS);
    await world.product.app.get(SettingsService).set({
      [SETTING_KEYS.smtpHost]: '127.0.0.1',
      [SETTING_KEYS.smtpPort]: String(smtp.port),
      [SETTING_KEYS.smtpSecurity]: 'none',
      [SETTING_KEYS.smtpFromAddress]: 'bb@corp.example',
      [SETTING_KEYS.alertsEnabled]: 'true',
    });
    await world.db.write((m) => m.getRepository(User).update({ id: users[0].user.id }, { isAdmin: true }));
    const g = world.fake.control;
    g.setMaxChannelTtl(CHANNEL_TTL_S);
    g.setAccessTokenLifetime(TOKEN_LIFETIME_S);
    g.setTombstoneTtl(6 * 3600);
    const rand = prng(41);
    for (let i = 0; i < 30; i++) personActs(world, users, rand);
    for (const u of users) await world.sync.fullResync(u.user.id);
    const webhooks = world.product.app.get(WebhookService);
    for (const u of users) for (const row of u.rows.values()) await webhooks.registerFor(row.id);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await smtp?.close();
  });

  it('stays flat: heap, RSS, WAL, timers and channels bounded; everything converged at the end', async () => {
    const g = world.fake.control;
    const runner = world.product.app.get(JobRunner);
    const calendars = users.reduce((n, u) => n + u.rows.size, 0);
    const wal = `${world.product.config.databasePath}-wal`;
    const rand = prng(42);
    const run = (name: JobName) => runner.run(name);
    const samples: Sample[] = [];
    const outcomes: Record<string, number> = {};
    g.injectFault({ path: '/calendar/v3/', status: 503, reason: 'backendError', share: 0.02 });
    for (let minute = 1; minute <= MINUTES; minute++) {
      g.advanceClock(60_000);
      g.clearCallLog(); // the emulator's own bookkeeping is not what is measured
      for (let i = 0; i < 3; i++) personActs(world, users, rand, Date.now() + minute * 60_000);
      const jobs: JobName[] = ['alert-queue'];
      if (minute % 10 === 0) jobs.push('webhook-renewal', 'token-refresh', 'retention-cleanup');
      if (minute % 30 === 0) jobs.push('consistency-check');
      for (const name of jobs) {
        const outcome = await run(name);
        outcomes[`${name}:${outcome}`] = (outcomes[`${name}:${outcome}`] ?? 0) + 1;
      }
      await sleep(150); // pushes land, the 1-second poll ticks
      await world.sync.onIdle();
      gc();
      const memory = process.memoryUsage();
      const resources = process.getActiveResourcesInfo();
      samples.push({
        minute,
        heap: memory.heapUsed,
        rss: memory.rss,
        wal: fileSize(wal),
        timers: resources.filter((r) => r === 'Timeout').length,
        handles: resources.length,
        channels: g.channels().length,
      });
    }
    g.clearFaults();
    await world.sync.consistencyCheck();
    await world.sync.pollAll();
    await world.sync.onIdle();

    const half = samples.slice(Math.floor(samples.length / 2));
    const xs = half.map((s) => s.minute);
    const heapSlope =
      (slope(
        xs,
        half.map((s) => s.heap),
      ) *
        60) /
      MB; // MB per simulated hour
    const rssSlope =
      (slope(
        xs,
        half.map((s) => s.rss),
      ) *
        60) /
      MB;
    const max = (k: keyof Sample, list = samples) => Math.max(...list.map((s) => s[k]));
    const first = samples.slice(0, Math.floor(samples.length / 2));
    const pushes = g.deliveries().length;

    console.log(
      `soak: ${MINUTES} simulated minutes, ${calendars} calendars, ${pushes} pushes, jobs ${JSON.stringify(outcomes)}, ${smtp.received.length} alert mail(s)\n` +
        `  heap ${(samples[0].heap / MB).toFixed(1)} -> ${(samples[samples.length - 1].heap / MB).toFixed(1)} MB (2nd-half slope ${heapSlope.toFixed(2)} MB/h), ` +
        `rss ${(samples[0].rss / MB).toFixed(1)} -> ${(samples[samples.length - 1].rss / MB).toFixed(1)} MB (slope ${rssSlope.toFixed(2)} MB/h), ` +
        `WAL max ${(max('wal') / MB).toFixed(2)} MB, timers ${max('timers', first)}/${max('timers', half)} (1st/2nd half max), handles ${max('handles', first)}/${max('handles', half)}, channels max ${max('channels')}`,
    );

    expect(await problems(world, users, Date.now() + MINUTES * 60_000)).toEqual([]);
    expect(managedCount(world, users)).toBeGreaterThan(20);
    expect(pushes).toBeGreaterThan(MINUTES); // webhooks really carried changes
    expect(outcomes['webhook-renewal:done']).toBeGreaterThan(0);
    // Flat: no more than a few MB per simulated hour in the second half (jest and the emulator share the heap).
    expect(heapSlope).toBeLessThan(8);
    expect(rssSlope).toBeLessThan(24);
    // The WAL is reused after each checkpoint, not grown: SQLite's auto-checkpoint is 1000 pages (4 MB).
    expect(max('wal')).toBeLessThan(8 * MB);
    // No timers or handles piling up, and one channel per calendar (renewals stop the old ones).
    expect(max('timers', half)).toBeLessThanOrEqual(max('timers', first) + 5);
    expect(max('handles', half)).toBeLessThanOrEqual(max('handles', first) + 5);
    expect(max('channels')).toBeLessThanOrEqual(2 * calendars);
    expect(g.channels().length).toBe(calendars);
  }, 900_000);
});
