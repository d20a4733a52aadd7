import { DirectRows } from './direct-rows';
import { ClientCalendar, OAuthToken } from './entities';
import { useTempDatabase } from '../../test/support/temp-database';

// Hand-written statements must load exactly the entities TypeORM loads: booleans, dates, blobs, nulls.
describe('DirectRows', () => {
  const db = useTempDatabase('direct-rows'); // rows without their user
  const run = (sql: string, params: unknown[]) => db().query(sql, params);
  beforeEach(async () => {
    const source = db();
    const tokens = source.getRepository(OAuthToken);
    await tokens.insert({
      userId: 3,
      accountType: 'home',
      googleAccountEmail: 'ann@home.example',
      googleSubject: null,
      accessTokenEncrypted: Buffer.from([1, 2, 3]),
      refreshTokenEncrypted: Buffer.from([4]),
      tokenExpiry: new Date('2026-05-06T07:08:09.010Z'),
      scopes: 'a b',
      needsReauth: false,
    });
    await tokens.insert({
      userId: 3,
      accountType: 'client',
      googleAccountEmail: 'ann@client.example',
      googleSubject: 'sub',
      accessTokenEncrypted: Buffer.from([5]),
      refreshTokenEncrypted: Buffer.from([6]),
      tokenExpiry: null,
      scopes: '',
      needsReauth: true,
    });
    const cals = source.getRepository(ClientCalendar);
    await cals.insert({
      userId: 3,
      oauthTokenId: 2,
      googleCalendarId: 'ann@client.example',
      displayName: null,
      calendarType: 'client',
      accessRole: 'owner',
      isActive: false,
      disconnectedAt: new Date('2026-01-01T00:00:00.000Z'),
    });
    await cals.insert({
      userId: 3,
      oauthTokenId: 1,
      googleCalendarId: 'ann@home.example',
      displayName: 'Ann',
      calendarType: 'main',
      accessRole: null,
      isActive: true,
      disconnectedAt: null,
    });
    await cals.insert({
      userId: 4,
      oauthTokenId: 1,
      googleCalendarId: 'other',
      displayName: 'Other',
      calendarType: 'main',
      accessRole: null,
      isActive: true,
      disconnectedAt: null,
    });
  });

  it('finds one row as TypeORM does', async () => {
    const rows = new DirectRows(db(), OAuthToken);
    for (const id of [1, 2])
      expect(await rows.findOneBy(run, 'id', id)).toEqual(await db().getRepository(OAuthToken).findOneBy({ id }));
    expect(await rows.findOneBy(run, 'id', 99)).toBeNull();
    const token = await rows.findOneBy(run, 'id', 2);
    expect(token).toBeInstanceOf(OAuthToken);
    expect(token?.needsReauth).toBe(true);
    expect(Buffer.isBuffer(token?.accessTokenEncrypted)).toBe(true);
  });

  it('finds every match in id order as TypeORM does', async () => {
    const rows = new DirectRows(db(), ClientCalendar);
    const direct = await rows.findBy(run, 'userId', 3);
    expect(direct).toEqual(
      await db()
        .getRepository(ClientCalendar)
        .find({ where: { userId: 3 }, order: { id: 'ASC' } }),
    );
    expect(direct.map((c) => [c.isActive, c.disconnectedAt instanceof Date])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(await rows.findOneBy(run, 'id', 1)).toEqual(await db().getRepository(ClientCalendar).findOneBy({ id: 1 }));
  });
});
