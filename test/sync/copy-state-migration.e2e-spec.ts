import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/** The copy-state migration on a real SQLite file: the old 'cancelled' sentinel becomes the state column and back. */
describe('migration: cancelled occurrence copies become an explicit state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-copy-state-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const open = async (migrations: typeof MIGRATIONS) => {
    const ds = new DataSource({
      type: 'sqlite',
      database: path.join(dir, 'db.sqlite'),
      migrations,
      migrationsTableName: 'migrations',
    });
    await ds.initialize();
    return ds;
  };

  it('moves the sentinel out of content_hash, leaves real hashes alone, and undoes cleanly', async () => {
    const before = await open(MIGRATIONS.slice(0, 2));
    await before.runMigrations();
    const run = (sql: string) => before.query(sql);
    await run(`INSERT INTO users (id, email, google_user_id) VALUES (1, 'a@x.example', 'g1')`);
    await run(
      `INSERT INTO oauth_tokens (id, user_id, account_type, google_account_email, access_token_encrypted, refresh_token_encrypted, scopes) VALUES (1, 1, 'client', 'a@c.example', x'00', x'00', '')`,
    );
    await run(
      `INSERT INTO client_calendars (id, user_id, oauth_token_id, google_calendar_id, calendar_type, is_active) VALUES (1, 1, 1, 'a@c.example', 'client', 1)`,
    );
    await run(`INSERT INTO event_mappings (id, user_id, origin_type, origin_calendar_id, origin_event_id, main_event_id, content_hash) VALUES
      (1, 1, 'client', 1, 'series_20270101T090000Z', 'copy_20270101T090000Z', 'cancelled'), (2, 1, 'client', 1, 'single', 'copy2', 'h2')`);
    await run(
      `INSERT INTO busy_blocks (id, event_mapping_id, client_calendar_id, busy_block_event_id, content_hash) VALUES (1, 1, 1, 'b_20270101T090000Z', 'cancelled'), (2, 2, 1, 'b2', 'bh2')`,
    );
    await before.destroy();

    const after = await open(MIGRATIONS);
    await after.runMigrations();
    expect(await after.query(`SELECT id, content_hash, main_copy_state FROM event_mappings ORDER BY id`)).toEqual([
      { id: 1, content_hash: null, main_copy_state: 'cancelled' },
      { id: 2, content_hash: 'h2', main_copy_state: 'written' },
    ]);
    expect(await after.query(`SELECT id, content_hash, state FROM busy_blocks ORDER BY id`)).toEqual([
      { id: 1, content_hash: null, state: 'cancelled' },
      { id: 2, content_hash: 'bh2', state: 'written' },
    ]);
    await after.undoLastMigration();
    expect(await after.query(`SELECT id, content_hash FROM event_mappings ORDER BY id`)).toEqual([
      { id: 1, content_hash: 'cancelled' },
      { id: 2, content_hash: 'h2' },
    ]);
    expect(await after.query(`SELECT id, content_hash FROM busy_blocks ORDER BY id`)).toEqual([
      { id: 1, content_hash: 'cancelled' },
      { id: 2, content_hash: 'bh2' },
    ]);
    await after.destroy();
  });
});
