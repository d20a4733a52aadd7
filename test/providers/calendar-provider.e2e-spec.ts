import { CalendarProvider, TimeWindow } from '../../src/providers/calendar-provider';
import { ProviderError } from '../../src/providers/provider-errors';
import { EventWrite, ProviderChange } from '../../src/providers/provider-event';
import { googleHarness, Harness, microsoftHarness, slot } from './harnesses';

/**
 * One contract, two providers: every row runs against the Google adapter with the Google emulator and the
 * Microsoft adapter with the Microsoft emulator, over real HTTP. What passes here is what the engine may rely on.
 */
const window = (): TimeWindow => ({
  start: new Date(Date.now() - 86400_000),
  end: new Date(Date.now() + 30 * 86400_000),
});

function body(summary: string, days = 2): EventWrite {
  const { start, end } = slot(days);
  return {
    summary,
    start: { dateTime: start },
    end: { dateTime: end },
    showAs: 'busy',
    visibility: 'private',
    remindersOn: false,
    tags: { bb: '1', mapping: summary },
  };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const upserted = (changes: ProviderChange[], id: string) =>
  changes.some((c) => c.type === 'upsert' && c.event.id === id);
const removed = (changes: ProviderChange[], id: string) => changes.some((c) => c.type === 'removed' && c.id === id);

describe.each([
  ['google', googleHarness],
  ['microsoft', microsoftHarness],
])('calendar-provider contract: %s', (_name, start) => {
  let h: Harness;
  let p: CalendarProvider;
  let main: string;
  // Each adapter needs an id shape its provider accepts (Google: base32hex); both are deterministic.
  let n = 0;
  const ourId = () => `bb${Date.now().toString(32)}${(n++).toString(32)}`.toLowerCase();

  beforeEach(async () => {
    h = await start();
    p = h.provider;
    main = (await p.listCalendars()).find((c) => c.primary)!.id;
  });
  afterEach(() => h.close());

  it('lists the calendars with write rights: own writable, shared read-only not', async () => {
    const calendars = await p.listCalendars();
    expect(calendars.find((c) => c.primary)).toMatchObject({ canWrite: true });
    expect(calendars.find((c) => c.id === h.readOnlyCalendarId)).toMatchObject({ canWrite: false, primary: false });
  });

  it('creates with our id twice and gets one event, carrying our marker and no reminder', async () => {
    const id = ourId();
    const first = await p.createEvent(main, { ourId: id, body: body('Twice') });
    const second = await p.createEvent(main, { ourId: id, body: body('Twice') });
    expect(second.id).toBe(first.id);
    const fetched = await p.getEvent(main, first.id);
    expect(fetched).toMatchObject({
      summary: 'Twice',
      showAs: 'busy',
      visibility: 'private',
      remindersOn: false,
      tags: { bb: '1', mapping: 'Twice' },
    });
    expect((await p.findTagged(main, 'mapping', 'Twice')).map((e) => e.id)).toEqual([first.id]);
    expect(await p.findTagged(main, 'mapping', 'Other')).toEqual([]);
  });

  it('updates, and refuses an update on a stale etag', async () => {
    const created = await p.createEvent(main, { ourId: ourId(), body: body('Before') });
    const updated = await p.updateEvent(main, created.id, { summary: 'After', showAs: 'free' }, created.etag);
    expect(updated).toMatchObject({ id: created.id, summary: 'After', showAs: 'free' });
    expect(updated.etag).not.toBe(created.etag);
    expect((await failure(p.updateEvent(main, created.id, { summary: 'Late' }, created.etag))).kind).toBe(
      'precondition_failed',
    );
    expect(await p.getEvent(main, created.id)).toMatchObject({ summary: 'After' });
  });

  it('deletes twice: the second time it is already gone', async () => {
    const created = await p.createEvent(main, { ourId: ourId(), body: body('Doomed') });
    expect(await p.deleteEvent(main, created.id)).toBe('deleted');
    expect(await p.deleteEvent(main, created.id)).toBe('already_gone');
    expect(await p.getEvent(main, created.id)).toBeNull();
  });

  it('lists changes since a cursor: creates, updates and deletion tombstones', async () => {
    const w = window();
    const keep = await p.createEvent(main, { ourId: ourId(), body: body('Keep') });
    const gone = await p.createEvent(main, { ourId: ourId(), body: body('Gone', 3) });
    const full = await p.listChanges(main, { cursor: null, window: w });
    expect(full.mode).toBe('full');
    expect(upserted(full.changes, keep.id) && upserted(full.changes, gone.id)).toBe(true);
    expect(full.cursor).toBeTruthy();

    const added = await p.createEvent(main, { ourId: ourId(), body: body('Added', 4) });
    await p.updateEvent(main, keep.id, { summary: 'Kept' });
    await p.deleteEvent(main, gone.id);
    const delta = await p.listChanges(main, { cursor: full.cursor, window: w });
    expect(delta.mode).toBe('incremental');
    expect(upserted(delta.changes, added.id)).toBe(true);
    expect(delta.changes.find((c) => c.type === 'upsert' && c.event.id === keep.id)).toMatchObject({
      event: { summary: 'Kept' },
    });
    expect(removed(delta.changes, gone.id)).toBe(true);
    expect(delta.cursor).toBeTruthy();
  });

  it('relists everything when the cursor has expired, and when the window moved', async () => {
    const w = window();
    const created = await p.createEvent(main, { ourId: ourId(), body: body('Survivor') });
    const { cursor } = await p.listChanges(main, { cursor: null, window: w });
    h.expireCursor(main);
    const relisted = await p.listChanges(main, { cursor, window: w });
    expect(relisted.mode).toBe('full');
    expect(upserted(relisted.changes, created.id)).toBe(true);
    expect(relisted.cursor).toBeTruthy();
    expect(relisted.cursor).not.toBe(cursor);
    if (h.name === 'microsoft') {
      // A delta link lists only its own window: a moved window is a new baseline, not a silent partial view.
      const moved = { start: w.start, end: new Date(w.end.getTime() + 86400_000) };
      expect((await p.listChanges(main, { cursor: relisted.cursor, window: moved })).mode).toBe('full');
    }
  });

  it('declines an invitation without mailing anyone; the organizer sees it declined', async () => {
    const id = await h.invite('Invitation');
    expect(await p.getEvent(main, id)).toMatchObject({ canEdit: false });
    await p.declineEvent(main, id);
    expect(h.organizerSees('Invitation')).toBe('declined');
  });

  it('classifies 404, 403 (read-only calendar), 429 and a revoked grant into the shared kinds', async () => {
    const unknown = await h.unknownEventId(main);
    expect(await failure(p.updateEvent(main, unknown, { summary: 'x' }))).toMatchObject({
      kind: 'not_found',
      status: 404,
      gone: true,
      retryable: false,
    });
    expect(await p.getEvent(main, unknown)).toBeNull();

    expect((await failure(p.createEvent(h.readOnlyCalendarId, { ourId: ourId(), body: body('Nope') }))).kind).toBe(
      'forbidden',
    );

    h.fail(429, 1, 1);
    expect((await p.listCalendars()).length).toBeGreaterThan(0); // retried after Retry-After
    h.fail(429, 5);
    const limited = await failure(p.listCalendars());
    expect(limited).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true });

    h.revokeGrant();
    expect((await failure(p.listCalendars())).kind).toBe('auth_revoked');
    expect((await failure(p.refreshTokens())).kind).toBe('auth_revoked');
  });
});
