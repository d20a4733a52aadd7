import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { Organization, Setting } from '../../src/database/entities';
import { openDatabase } from '../../src/database/open-database';
import { DATA_TABLES } from '../ops/support/sqlite-file';

describe('database', () => {
  let dir: string;
  let file: string;
  const open: DataSource[] = [];
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-db-'));
    file = path.join(dir, 'sub', 'calendar-sync.db');
  });
  afterEach(async () => {
    for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const openDb = async () => {
    const ds = await openDatabase(file);
    open.push(ds);
    return ds;
  };

  it('creates the file and its folder, migrates, and sets the durability pragmas', async () => {
    const ds = await openDb();
    await expect(fs.stat(file)).resolves.toBeTruthy();
    const tables = (await ds.query(`SELECT name FROM sqlite_master WHERE type='table' ORDER BY name`)).map(
      (r: { name: string }) => r.name,
    );
    for (const t of DATA_TABLES) expect(tables).toContain(t);
    expect((await ds.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
    expect((await ds.query('PRAGMA synchronous'))[0].synchronous).toBe(2); // FULL
    expect((await ds.query('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
    expect((await ds.query('PRAGMA busy_timeout'))[0].timeout).toBeGreaterThanOrEqual(5000);
  });

  it('is a no-op on an already migrated file and keeps its data', async () => {
    const first = await openDb();
    await first.query(`INSERT INTO settings (key, value_plain) VALUES ('probe', 'kept')`);
    const applied = await first.query('SELECT name FROM migrations');
    await first.destroy();
    const second = await openDb();
    expect(await second.query('SELECT name FROM migrations')).toEqual(applied);
    expect(await second.showMigrations()).toBe(false);
    expect((await second.getRepository(Setting).findOneByOrFail({ key: 'probe' })).valuePlain).toBe('kept');
  });

  it('write() takes the write lock up front and serialises overlapping transactions', async () => {
    const db = new DatabaseService(await openDb());
    const order: string[] = [];
    await Promise.all([
      db.write(async (m) => {
        order.push('a-start');
        await m.query(`INSERT INTO settings (key, value_plain) VALUES ('a', '1')`);
        await new Promise((r) => setTimeout(r, 30));
        order.push('a-end');
      }),
      db.write(async (m) => {
        order.push('b-start');
        await m.getRepository(Setting).save({ key: 'b', valuePlain: '2', valueEncrypted: null, isSensitive: false });
        order.push('b-end');
      }),
    ]);
    expect(order).toEqual(['a-start', 'a-end', 'b-start', 'b-end']);
    await expect(
      db.write(async (m) => {
        await m.query(`INSERT INTO settings (key, value_plain) VALUES ('c', '3')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.reader.getRepository(Setting).findOneBy({ key: 'c' })).toBeNull();
  });

  it('stores a secret sealed: the plaintext appears nowhere in the SQLite file or its WAL', async () => {
    const ds = await openDb();
    const crypto = new EncryptionService();
    crypto.useKey(randomBytes(32));
    const canary = `canary-secret-${randomBytes(8).toString('hex')}`;
    await ds.getRepository(Organization).insert({
      googleWorkspaceDomain: 'example.com',
      googleClientIdEncrypted: crypto.encrypt(canary),
      googleClientSecretEncrypted: crypto.encrypt(canary + '-2'),
    });
    const row = await ds.getRepository(Organization).findOneByOrFail({ googleWorkspaceDomain: 'example.com' });
    expect(crypto.decrypt(row.googleClientIdEncrypted)).toBe(canary);
    const bytes = Buffer.concat(
      await Promise.all([file, `${file}-wal`].map((f) => fs.readFile(f).catch(() => Buffer.alloc(0)))),
    );
    expect(bytes.includes(Buffer.from(canary))).toBe(false);
    // The domain is stored in clear: proves the scan does find values written to the file.
    expect(bytes.includes(Buffer.from('example.com'))).toBe(true);
    const scanned = bytes.length;
    expect(scanned).toBeGreaterThan(0);
  });
});
