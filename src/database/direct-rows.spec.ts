import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { DirectRows } from './direct-rows';
import { ClientCalendar, OAuthToken } from './entities';
import { openDatabase } from './open-database';

// Hand-written statements must load exactly the entities TypeORM loads: booleans, dates, blobs, nulls.
describe('DirectRows', () => {
  let dir: string;
  let source: DataSource;
  const run = (sql: string, params: unknown[]) => source.query(sql, params);
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-direct-rows-'));
    source = await openDatabase(path.join(dir, 'db.sqlite'));
    await source.query('PRAGMA foreign_keys = OFF'); // rows without their user
    const tokens = source.getRepository(OAuthToken);
    await tokens.insert({ userId: 3, accountType: 'home', googleAccountEmail: 'ann@home.example', googleSubject: null, accessTokenEncrypted: Buffer.from([1, 2, 3]), refreshTokenEncrypted: Buffer.from([4]), tokenExpiry: new Date('2026-05-06T07:08:09.010Z'), scopes: 'a b', needsReauth: false });
    await tokens.insert({ userId: 3, accountType: 'client', googleAccountEmail: 'ann@client.example', googleSubject: 'sub', accessTokenEncrypted: Buffer.from([5]), refreshTokenEncrypted: Buffer.from([6]), tokenExpiry: null, scopes: '', needsReauth: true });
    const cals = source.getRepository(ClientCalendar);
    await cals.insert({ userId: 3, oauthTokenId: 2, googleCalendarId: 'ann@client.example', displayName: null, calendarType: 'client', accessRole: 'owner', isActive: false, disconnectedAt: new Date('2026-01-01T00:00:00.000Z') });
    await cals.insert({ userId: 3, oauthTokenId: 1, googleCalendarId: 'ann@home.example', displayName: 'Ann', calendarType: 'main', accessRole: null, isActive: true, disconnectedAt: null });
    await cals.insert({ userId: 4, oauthTokenId: 1, googleCalendarId: 'other', displayName: 'Other', calendarType: 'main', accessRole: null, isActive: true, disconnectedAt: null });
  });
  afterAll(async () => {
    await source.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds one row as TypeORM does', async () => {
    const rows = new DirectRows(source, OAuthToken);
    for (const id of [1, 2]) expect(await rows.findOneBy(run, 'id', id)).toEqual(await source.getRepository(OAuthToken).findOneBy({ id }));
    expect(await rows.findOneBy(run, 'id', 99)).toBeNull();
    const token = await rows.findOneBy(run, 'id', 2);
    expect(token).toBeInstanceOf(OAuthToken);
    expect(token?.needsReauth).toBe(true);
    expect(Buffer.isBuffer(token?.accessTokenEncrypted)).toBe(true);
  });

  it('finds every match in id order as TypeORM does', async () => {
    const rows = new DirectRows(source, ClientCalendar);
    const direct = await rows.findBy(run, 'userId', 3);
    expect(direct).toEqual(await source.getRepository(ClientCalendar).find({ where: { userId: 3 }, order: { id: 'ASC' } }));
    expect(direct.map((c) => [c.isActive, c.disconnectedAt instanceof Date])).toEqual([[false, true], [true, false]]);
  });
});
