import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { backupDatabase } from './backup';
import { DatabaseService } from './database.service';
import { openDatabase } from './open-database';

/** Opens a file with the plain driver (not the product's code) to judge a backup independently. */
async function query<T>(file: string, sql: string): Promise<T[]> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (e) =>
      e ? reject(e) : resolve(handle),
    );
  });
  try {
    return await new Promise<T[]>((resolve, reject) =>
      db.all(sql, (e, rows) => (e ? reject(e) : resolve(rows as T[]))),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

describe('backupDatabase (SQLite online backup)', () => {
  let dir: string;
  let live: DataSource;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-backup-'));
    live = await openDatabase(path.join(dir, 'data', 'calendar-sync.db'));
  });
  afterEach(async () => {
    if (live.isInitialized) await live.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('takes a consistent snapshot while writes continue, holding every row committed before it began', async () => {
    const db = new DatabaseService(live);
    // ~16 MB of history, so copying takes long enough for writes to land while it runs.
    const filler = 'x'.repeat(8 * 1024);
    await db.write(async (m) => {
      for (let i = 0; i < 2000; i++)
        await m.query(`INSERT INTO sync_log (action, status, details) VALUES ('filler', 'success', ?)`, [filler]);
    });

    // Each transaction writes two rows; a torn snapshot would show a transaction with one.
    let committed = 0;
    let stop = false;
    const writer = (async () => {
      for (let n = 1; !stop; n++) {
        await db.write(async (m) => {
          await m.query(`INSERT INTO sync_log (action, status, details) VALUES (?, 'success', 'a')`, [`tx-${n}`]);
          await m.query(`INSERT INTO sync_log (action, status, details) VALUES (?, 'success', 'b')`, [`tx-${n}`]);
        });
        committed = n;
      }
    })();
    while (committed < 20) await new Promise((r) => setTimeout(r, 5));

    const committedBefore = committed;
    const result = await backupDatabase(live, path.join(dir, 'backups', 'snapshot.db'));
    const committedAfter = committed;
    stop = true;
    await writer;

    expect(committedAfter).toBeGreaterThan(committedBefore); // writes really ran during the backup
    expect(result.bytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(await query<{ integrity_check: string }>(result.file, 'PRAGMA integrity_check')).toEqual([
      { integrity_check: 'ok' },
    ]);
    const rows = await query<{ action: string; n: number }>(
      result.file,
      `SELECT action, COUNT(*) AS n FROM sync_log WHERE action LIKE 'tx-%' GROUP BY action`,
    );
    const seen = new Map(rows.map((r) => [r.action, r.n]));
    for (const [, n] of seen) expect(n).toBe(2);
    for (let n = 1; n <= committedBefore; n++) expect(seen.get(`tx-${n}`)).toBe(2);
    // The snapshot is one moment: transactions 1..k, no gaps.
    expect(seen.size).toBeGreaterThanOrEqual(committedBefore);
    for (let n = 1; n <= seen.size; n++) expect(seen.has(`tx-${n}`)).toBe(true);
    expect(
      await query<{ n: number }>(result.file, `SELECT COUNT(*) AS n FROM sync_log WHERE action = 'filler'`),
    ).toEqual([{ n: 2000 }]);
    // The migrations table comes along, so a restored copy starts without re-migrating.
    expect((await query<{ name: string }>(result.file, 'SELECT name FROM migrations')).length).toBeGreaterThan(0);
  });

  it('accepts a file path, and leaves no partial file behind', async () => {
    await live.query(`INSERT INTO settings (key, value_plain) VALUES ('probe', 'from-path')`);
    const target = path.join(dir, 'copy.db');
    await backupDatabase(live.options.database as string, target);
    expect(await query(target, `SELECT value_plain FROM settings WHERE key = 'probe'`)).toEqual([
      { value_plain: 'from-path' },
    ]);
    expect((await fs.readdir(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('refuses a missing source (creating nothing) and a target equal to the source', async () => {
    const missing = path.join(dir, 'nope.db');
    await expect(backupDatabase(missing, path.join(dir, 'out.db'))).rejects.toThrow(/ENOENT/);
    await expect(fs.stat(missing)).rejects.toThrow();
    await expect(fs.stat(path.join(dir, 'out.db'))).rejects.toThrow();
    await expect(backupDatabase(live, live.options.database as string)).rejects.toThrow(/must differ/);
  });
});
