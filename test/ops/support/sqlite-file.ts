import * as sqlite3 from 'sqlite3';

export type Row = Record<string, unknown>;

/**
 * Reads a SQLite file with the plain driver, on its own connection: the ops tests judge the product's
 * files from outside, the way an operator's `sqlite3` would, not through the product's own code.
 */
export async function withSqlite<T>(
  file: string,
  work: (all: (sql: string, params?: unknown[]) => Promise<Row[]>) => Promise<T>,
): Promise<T> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (e) =>
      e ? reject(e) : resolve(handle),
    );
  });
  const all = (sql: string, params: unknown[] = []) =>
    new Promise<Row[]>((resolve, reject) => db.all(sql, params, (e, rows) => (e ? reject(e) : resolve(rows as Row[]))));
  try {
    await all('PRAGMA busy_timeout = 10000');
    return await work(all);
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

export const DATA_TABLES = [
  'organization',
  'settings',
  'users',
  'oauth_tokens',
  'client_calendars',
  'calendar_sync_state',
  'event_mappings',
  'busy_blocks',
  'sync_log',
  'webhook_channels',
  'alert_queue',
  'job_locks',
] as const;
export type DataTable = (typeof DATA_TABLES)[number];

/** Every row of every product table, ordered by primary key. */
export async function dumpTables(file: string): Promise<Record<DataTable, Row[]>> {
  return withSqlite(file, async (all) => {
    const dump = {} as Record<DataTable, Row[]>;
    for (const table of DATA_TABLES) dump[table] = await all(`SELECT * FROM ${table} ORDER BY 1`);
    return dump;
  });
}

export async function integrityCheck(file: string): Promise<string> {
  return withSqlite(file, async (all) => String((await all('PRAGMA integrity_check'))[0]?.integrity_check));
}
