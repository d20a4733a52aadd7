import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseService } from '../../src/database/database.service';
import { openDatabase } from '../../src/database/open-database';
import { JobLockRepository } from '../../src/database/repositories/job-lock.repository';
import { JobLockService } from '../../src/jobs/job-lock.service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job locks', () => {
  let dir: string;
  const sources: DataSource[] = [];
  /** Each call opens its own connection to the same file: a separate "process" as far as SQLite knows. */
  const instance = async () => {
    const ds = await openDatabase(path.join(dir, 'db.sqlite'));
    sources.push(ds);
    const repo = new JobLockRepository(new DatabaseService(ds));
    return { locks: new JobLockService(repo), repo };
  };
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-locks-'));
  });
  afterEach(async () => {
    for (const ds of sources.splice(0)) if (ds.isInitialized) await ds.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('two instances hammering the same job never overlap, and every run releases the lock', async () => {
    const a = await instance();
    const b = await instance();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const work = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await sleep(5);
      active--;
    };
    const attempts: Array<Promise<unknown>> = [];
    for (let round = 0; round < 40; round++) {
      for (const inst of [a, b, a, b])
        attempts.push(inst.locks.runExclusive('periodic-sync', work, { staleAfterMs: 60_000 }));
      await sleep(10);
    }
    const results = (await Promise.all(attempts)) as Array<{ ran: boolean }>;
    expect(maxActive).toBe(1);
    expect(runs).toBe(results.filter((r) => r.ran).length);
    expect(runs).toBeGreaterThanOrEqual(2);
    // Most attempts found the job already running and skipped.
    expect(results.some((r) => !r.ran)).toBe(true);
    expect(await a.repo.find('periodic-sync')).toMatchObject({ lockedBy: null, lockedAt: null });
  });

  it('different jobs do not block each other', async () => {
    const a = await instance();
    let inner: { ran: boolean } | undefined;
    await a.locks.runExclusive(
      'retention-cleanup',
      async () => {
        inner = await a.locks.runExclusive('alert-queue', async () => 'ok', { staleAfterMs: 60_000 });
      },
      { staleAfterMs: 60_000 },
    );
    expect(inner).toEqual({ ran: true, result: 'ok' });
  });

  it('a claim left by a crashed holder is taken over only once it is stale', async () => {
    const a = await instance();
    const now = new Date();
    // A holder that "crashed" 10 seconds ago without releasing.
    expect(await a.repo.claim('token-refresh', 'dead-host:1:run', new Date(now.getTime() - 10_000), new Date(0))).toBe(
      true,
    );
    await expect(a.locks.runExclusive('token-refresh', async () => 'x', { staleAfterMs: 60_000 })).resolves.toEqual({
      ran: false,
    });
    await expect(
      a.locks.runExclusive('token-refresh', async () => 'taken over', { staleAfterMs: 5_000 }),
    ).resolves.toEqual({ ran: true, result: 'taken over' });
  });

  it('a long run keeps its claim fresh with heartbeats, so it is not taken over', async () => {
    const a = await instance();
    const b = await instance();
    const long = a.locks.runExclusive('consistency-check', () => sleep(700), { staleAfterMs: 300, heartbeatMs: 50 });
    await sleep(450); // longer than staleAfterMs since the claim was made
    await expect(
      b.locks.runExclusive('consistency-check', async () => 'stolen', { staleAfterMs: 300 }),
    ).resolves.toEqual({ ran: false });
    await expect(long).resolves.toEqual({ ran: true, result: undefined });
  });

  it('a run that throws still releases its lock', async () => {
    const a = await instance();
    await expect(
      a.locks.runExclusive(
        'alert-queue',
        async () => {
          throw new Error('boom');
        },
        { staleAfterMs: 60_000 },
      ),
    ).rejects.toThrow('boom');
    await expect(a.locks.runExclusive('alert-queue', async () => 1, { staleAfterMs: 60_000 })).resolves.toEqual({
      ran: true,
      result: 1,
    });
  });
});
