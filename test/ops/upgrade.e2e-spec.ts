import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MIGRATIONS } from '../../migrations';
import { freePort, startProduct } from '../support/product';
import { buildPreviousReleaseDatabase } from './support/previous-release';
import { DATA_TABLES, DataTable, dumpTables, integrityCheck, Row, withSqlite } from './support/sqlite-file';

/**
 * Columns a running instance may legitimately change on its own (failed sync attempts against an
 * unreachable Google, token refresh bookkeeping, job locks, alert retries). Everything else in every
 * row must come through the upgrade byte for byte.
 */
const RUNTIME_COLUMNS: Partial<Record<DataTable, string[]>> = {
  oauth_tokens: ['access_token_encrypted', 'token_expiry', 'updated_at', 'needs_reauth'],
  calendar_sync_state: [
    'status',
    'consecutive_failures',
    'last_error',
    'next_retry_at',
    'last_incremental_sync',
    'last_full_sync',
    'sync_token',
  ],
  job_locks: ['locked_at', 'locked_by'],
  alert_queue: ['attempts', 'last_attempt', 'next_attempt_at', 'last_error', 'failed_at'],
};
// Tables an instance appends to while running; every old row must still be there.
const GROWING: DataTable[] = ['sync_log', 'alert_queue', 'job_locks'];

function keyOf(table: DataTable, row: Row): unknown {
  return table === 'settings' ? row.key : table === 'job_locks' ? row.job_name : row.id;
}

function expectRowsSurvived(before: Record<DataTable, Row[]>, after: Record<DataTable, Row[]>): void {
  for (const table of DATA_TABLES) {
    const afterByKey = new Map(after[table].map((r) => [keyOf(table, r), r]));
    if (!GROWING.includes(table))
      expect({ table, rows: after[table].length }).toEqual({ table, rows: before[table].length });
    for (const old of before[table]) {
      const now = afterByKey.get(keyOf(table, old));
      expect({ table, key: keyOf(table, old), found: Boolean(now) }).toEqual({
        table,
        key: keyOf(table, old),
        found: true,
      });
      const skip = RUNTIME_COLUMNS[table] ?? [];
      const kept = Object.fromEntries(
        Object.keys(old)
          .filter((c) => !skip.includes(c))
          .map((c) => [c, now![c]]),
      );
      const expected = Object.fromEntries(
        Object.keys(old)
          .filter((c) => !skip.includes(c))
          .map((c) => [c, old[c]]),
      );
      expect({ table, row: kept }).toEqual({ table, row: expected });
    }
  }
}

describe('upgrade from the previous release keeps every row', () => {
  let dir: string;
  let dbFile: string;
  let keyFile: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-upgrade-'));
    dbFile = path.join(dir, 'data', 'calendar-sync.db');
    keyFile = path.join(dir, 'secrets', 'encryption.key');
    await buildPreviousReleaseDatabase(dbFile, keyFile);
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  // A closed port: the upgraded instance must not depend on Google being reachable to keep its data.
  const env = async () => ({
    DATABASE_PATH: dbFile,
    ENCRYPTION_KEY_FILE: keyFile,
    GOOGLE_BASE_URL: `http://127.0.0.1:${await freePort()}`,
    SYNC_POLL_SECONDS: '86400',
  });
  const appliedMigrations = async () =>
    (await withSqlite(dbFile, (all) => all('SELECT name FROM migrations ORDER BY id'))).map((r) => r.name);

  it('starts with only the initial migration applied, and with data in every table', async () => {
    expect(MIGRATIONS.length).toBeGreaterThan(1); // otherwise there is nothing to upgrade and this test proves nothing
    expect(await appliedMigrations()).toEqual(['InitialSchema1764000000000']);
    const dump = await dumpTables(dbFile);
    for (const table of DATA_TABLES)
      expect({ table, empty: dump[table].length === 0 }).toEqual({ table, empty: false });
  });

  it('runs every later migration at start and keeps every row, child rows included', async () => {
    const before = await dumpTables(dbFile);
    const product = await startProduct(await env(), dir);
    try {
      const health = await fetch(`${product.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await product.close({ keepFiles: true });
    }
    expect(await appliedMigrations()).toEqual(MIGRATIONS.map((m) => new m().name ?? m.name));
    expect(await integrityCheck(dbFile)).toBe('ok');
    const after = await dumpTables(dbFile);
    expectRowsSurvived(before, after);
    expect(after.busy_blocks.map((b) => b.event_mapping_id)).toEqual([2, 4, 3]);
    expect(after.calendar_sync_state.map((s) => s.client_calendar_id)).toEqual([1, 2]);
    const fks = await withSqlite(dbFile, (all) => all('PRAGMA foreign_key_check'));
    expect(fks).toEqual([]);
  });

  it('a second start is a no-op: no migration runs again and the data is unchanged', async () => {
    const migrations = await withSqlite(dbFile, (all) => all('SELECT * FROM migrations ORDER BY id'));
    const before = await dumpTables(dbFile);
    const product = await startProduct(await env(), dir);
    await product.close({ keepFiles: true });
    expect(await withSqlite(dbFile, (all) => all('SELECT * FROM migrations ORDER BY id'))).toEqual(migrations);
    expectRowsSurvived(before, await dumpTables(dbFile));
  });
});
