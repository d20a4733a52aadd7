import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AsyncMutex } from './async-mutex';

/**
 * The one door to SQLite. TypeORM's sqlite driver shares one connection among all query runners, so
 * two overlapping transactions would silently merge; every write therefore runs through `write()`,
 * serialised in-process and opened with BEGIN IMMEDIATE so the write lock is taken up front (another
 * process, e.g. a backup, makes us wait busy_timeout instead of failing mid-transaction).
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly writeLock = new AsyncMutex();

  constructor(readonly dataSource: DataSource) {}

  /** Reads need no lock: they see the last committed state (or our own in-flight write). */
  get reader(): EntityManager {
    return this.dataSource.manager;
  }

  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writeLock.runExclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.query('BEGIN IMMEDIATE');
      // Let TypeORM's own save()/remove() know a transaction is open, so they don't start another.
      Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        Object.assign(runner, { isTransactionActive: false, transactionDepth: 0 });
        await runner.release();
      }
    });
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
    // Wait for the write in flight, then close: no half-written transaction is left behind.
    await this.writeLock.runExclusive(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }
}
