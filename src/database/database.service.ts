import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AsyncMutex } from './async-mutex';

/**
 * Another process holding the write lock longer than busy_timeout (a sqlite3 CLI session, a long backup)
 * makes BEGIN IMMEDIATE fail with SQLITE_BUSY. Nothing has happened yet at that point, so it is safe to
 * try again; we do so for this long before giving up (the caller then fails as a whole, and its sync is
 * retried from its unchanged token).
 */
export const BEGIN_PATIENCE_MS = 60_000;
/** Pause between attempts: the reads queued behind the blocked BEGIN on our one connection run meanwhile. */
const BEGIN_RETRY_PAUSE_MS = 500;

/** SQLITE_FULL: the disk (or max_page_count) has no room for the pages a write needs. */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'SQLITE_FULL' || (typeof e?.message === 'string' && /SQLITE_FULL|ENOSPC/.test(e.message));
}

function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'SQLITE_BUSY' || (typeof e?.message === 'string' && e.message.startsWith('SQLITE_BUSY'));
}

/**
 * The one door to SQLite. TypeORM's sqlite driver shares one connection among all query runners, so
 * two overlapping transactions would silently merge; every write therefore runs through `write()`,
 * serialised in-process and opened with BEGIN IMMEDIATE so the write lock is taken up front (another
 * process, e.g. a backup, makes us wait busy_timeout instead of failing mid-transaction, and then try
 * again for up to BEGIN_PATIENCE_MS).
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly writeLock = new AsyncMutex();
  private closing = false;
  private diskFull = false;
  private readonly diskFullListeners = new Set<(error: Error) => void>();
  /** Tests shorten it; see BEGIN_PATIENCE_MS. */
  beginPatienceMs = BEGIN_PATIENCE_MS;

  constructor(readonly dataSource: DataSource) {}

  /** Reads need no lock: they see the last committed state (or our own in-flight write). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writeLock.runExclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await this.begin(runner.query.bind(runner));
      } catch (error) {
        await runner.release();
        throw error;
      }
      // Let TypeORM's own save()/remove() know a transaction is open, so they don't start another.
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        this.diskFull = false;
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        if (isDiskFull(error)) this.reportDiskFull(error as Error);
        throw error;
      } finally {
        Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
        await runner.release();
      }
    });
  }

  /**
   * One statement, atomic on its own: no BEGIN/COMMIT around it (two statements fewer for each of the
   * per-calendar state writes every poll makes), still serialised with every other write and patient with
   * another process's lock as `write()` is.
   */
  async writeStatement(sql: string, params: unknown[]): Promise<void> {
    await this.writeLock.runExclusive(async () => {
      try {
        await this.whenNotBusy(() => this.dataSource.query(sql, params));
        this.diskFull = false;
      } catch (error) {
        if (isDiskFull(error)) this.reportDiskFull(error as Error);
        throw error;
      }
    });
  }

  /**
   * Called once each time writes start failing for lack of room (again after a write has succeeded), not for
   * every failed write: the alerts room raises its system_error from here.
   */
  onDiskFull(listener: (error: Error) => void): () => void {
    this.diskFullListeners.add(listener);
    return () => this.diskFullListeners.delete(listener);
  }

  private reportDiskFull(error: Error): void {
    if (this.diskFull) return;
    this.diskFull = true;
    for (const listener of this.diskFullListeners) {
      try {
        listener(error);
      } catch {
        // A listener's trouble must not replace the write's own error.
      }
    }
  }

  private begin(query: (sql: string) => Promise<unknown>): Promise<void> {
    return this.whenNotBusy(async () => {
      await query('BEGIN IMMEDIATE');
    });
  }

  /** Runs `attempt` until it does not fail with SQLITE_BUSY (nothing has happened then), for beginPatienceMs. */
  private async whenNotBusy(attempt: () => Promise<unknown>): Promise<void> {
    const giveUpAt = Date.now() + this.beginPatienceMs;
    for (;;) {
      try {
        await attempt();
        return;
      } catch (error) {
        if (!isBusy(error) || this.closing || Date.now() >= giveUpAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, BEGIN_RETRY_PAUSE_MS * (0.5 + Math.random())));
      }
    }
  }

  async isHealthy(): Promise<boolean> {
    if (!this.dataSource.isInitialized) return false;
    try {
      const rows: Array<{ ok: number }> = await this.dataSource.query('SELECT 1 AS ok');
      return rows[0]?.ok === 1;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // A write waiting out another process's lock stops retrying; the one in flight finishes, then we close:
    // no half-written transaction is left behind.
    await this.writeLock.runExclusive(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }
}
