import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { DatabaseService } from './database.service';
import { openDatabase } from './open-database';

/** A second connection (as the sqlite3 CLI would be) holding the write lock until release(). */
async function lockFile(file: string): Promise<{ release(): Promise<void> }> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (e) =>
      e ? reject(e) : resolve(handle),
    );
  });
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  await exec(`BEGIN IMMEDIATE; INSERT INTO settings (key, value_plain) VALUES ('other', 'x')`);
  return {
    release: async () => {
      await exec('COMMIT');
      await new Promise<void>((r) => db.close(() => r()));
    },
  };
}

const insert = (db: DatabaseService, key: string) =>
  db.write((m) => m.query(`INSERT INTO settings (key, value_plain) VALUES (?, 'v')`, [key]));

describe('DatabaseService.write against another process holding the write lock', () => {
  let dir: string;
  let source: DataSource;
  let db: DatabaseService;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-dbservice-'));
    source = await openDatabase(path.join(dir, 'db.sqlite'));
    // The production busy_timeout is 10 s; 100 ms makes "the lock outlasts it" quick to reach.
    await source.query('PRAGMA busy_timeout = 100');
    db = new DatabaseService(source);
  });
  afterEach(async () => {
    if (source.isInitialized) await source.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('retries BEGIN IMMEDIATE after busy_timeout runs out, and commits once the lock is released', async () => {
    const lock = await lockFile(source.options.database as string);
    const started = Date.now();
    const write = insert(db, 'ours');
    setTimeout(() => void lock.release(), 800);
    await expect(write).resolves.toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(750); // it really waited past several busy timeouts
    expect(await source.query(`SELECT key FROM settings WHERE key IN ('ours', 'other') ORDER BY key`)).toEqual([
      { key: 'other' },
      { key: 'ours' },
    ]);
  });

  it('gives up with SQLITE_BUSY after its patience, having written nothing, and works again afterwards', async () => {
    db.beginPatienceMs = 300;
    const lock = await lockFile(source.options.database as string);
    await expect(insert(db, 'lost')).rejects.toThrow(/SQLITE_BUSY/);
    await lock.release();
    await insert(db, 'after');
    expect(await source.query(`SELECT key FROM settings WHERE key IN ('lost', 'after')`)).toEqual([{ key: 'after' }]);
  });

  it('stops retrying when the application shuts down', async () => {
    const lock = await lockFile(source.options.database as string);
    const write = insert(db, 'x').catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 150));
    const shutdown = db.onApplicationShutdown();
    expect(await write).toMatch(/SQLITE_BUSY/);
    await shutdown;
    await lock.release();
  });
});
