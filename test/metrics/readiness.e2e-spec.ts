import { DataSource } from 'typeorm';
import { JobLockRepository } from '../../src/database/repositories/job-lock.repository';
import { startProduct } from '../support/product';
import { SyncWorld } from '../support/sync-world';
import { connectAnn, SEED } from '../sync/sync-fixtures';
import { eventually, sleep } from './wait';

jest.setTimeout(60_000);

async function ready(url: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${url}/health/ready`);
  return { status: res.status, body: await res.json() };
}

describe('GET /health/ready', () => {
  it('is 503 while the database is unreachable, like /health', async () => {
    const product = await startProduct();
    try {
      expect((await ready(product.url)).status).toBe(200);
      await product.app.get(DataSource).destroy();
      expect(await ready(product.url)).toEqual({
        status: 503,
        body: { status: 'not_ready', reason: 'The database is unreachable' },
      });
    } finally {
      await product.close();
    }
  });

  it('stays ready through a long first sync, and is 503 once no poll cycle completes within three intervals', async () => {
    const world = await SyncWorld.start(SEED, { JOBS_ENABLED: 'true', SYNC_POLL_SECONDS: '1' });
    try {
      // Every calendar's first listing takes 6 s: the first sync outlasts three poll intervals.
      world.fake.control.injectFault({ kind: 'events.list', delayMs: 6_000, times: 5 });
      await connectAnn(world);
      await eventually(
        async () => world.fake.control.faults()[0].hits,
        (hits) => hits >= 1,
      );
      const started = Date.now();
      while (Date.now() - started < 4_000) {
        expect(await ready(world.product.url)).toEqual({ status: 200, body: { status: 'ready' } });
        await sleep(500);
      }
      const doneDuringTheWait = await firstSyncsDone(world);
      expect(doneDuringTheWait).toBeLessThan(5); // the first sync really was still going...
      await eventually(
        () => firstSyncsDone(world),
        (n) => n > doneDuringTheWait,
        20_000,
      ); // ...and then went on

      // Another process holds the poll job's lock: this instance completes no poll cycle and stops being ready.
      const locks = world.product.app.get(JobLockRepository);
      await eventually(
        () => locks.claim('periodic-sync', 'elsewhere:1:test', new Date(), new Date(0)),
        (claimed) => claimed,
      );
      const stuck = await eventually(
        () => ready(world.product.url),
        (r) => r.status === 503,
        10_000,
      );
      expect(stuck.body).toEqual({
        status: 'not_ready',
        reason: expect.stringMatching(/^No poll cycle has completed in the last \d+ s \(limit 3 s\)$/),
      });
      await locks.release('periodic-sync', 'elsewhere:1:test');
      await eventually(
        () => ready(world.product.url),
        (r) => r.status === 200,
        5_000,
      );
    } finally {
      // No onIdle(): with the poll ticking every second there is always another sync coming.
      await world.close();
    }
  });
});

/** Calendars whose first (full) sync has completed. */
async function firstSyncsDone(world: SyncWorld): Promise<number> {
  const rows = await world.db.reader.query(
    `SELECT COUNT(*) AS n FROM calendar_sync_state WHERE last_full_sync IS NOT NULL`,
  );
  return Number(rows[0].n);
}
