import { BUSY_BLOCK_KEYS, busyBlockBody, contentHash, mainCopyBody, observedHash, stripReference } from './bodies';
import { copyId, copyIdForOrigin, COPY_ID_PATTERN, instanceSuffix } from './copy-ids';
import { blocksTime, canEditOrigin, isOurs, withinLookback } from './eligibility';
import { A, C, ev, invite, KEY, MAIN, NOW, P, PREFIX, R_READER } from './plan.fixtures';
import { GoogleEvent, PlanCalendar } from './types';

const stamp = { userId: 1, mappingId: 42, originCalendarId: 2 };
const marker = {
  private: {
    busybridge: '1',
    busybridgeKind: 'busy',
    busybridgeMapping: '42',
    busybridgeUser: '1',
    busybridgeOrigin: '2',
  },
};

describe('busy block properties', () => {
  it('client-origin busy block: "{prefix} Busy", busy, private, no description/attendees/reminders', () => {
    expect(
      busyBlockBody(
        ev({
          conferenceData: { entryPoints: [{ uri: 'https://meet' }] },
          hangoutLink: 'https://meet',
          attachments: [{ fileUrl: 'x' }],
        }),
        PREFIX,
        { ...stamp, kind: 'busy' },
      ),
    ).toEqual({
      summary: '[BusyBridge] Busy',
      start: { dateTime: '2026-11-25T10:00:00Z' },
      end: { dateTime: '2026-11-25T11:00:00Z' },
      transparency: 'opaque',
      visibility: 'private',
      status: 'confirmed',
      reminders: { useDefault: false },
      extendedProperties: marker,
    });
  });

  it('personal-origin busy block: "{prefix} Busy (Personal)", all-day kept all-day, recurrence and zone kept', () => {
    const body = busyBlockBody(
      ev({ start: { date: '2026-12-01' }, end: { date: '2026-12-02' }, recurrence: ['RRULE:FREQ=DAILY;COUNT=2'] }),
      PREFIX,
      { ...stamp, kind: 'personal' },
    );
    expect(body.summary).toBe('[BusyBridge] Busy (Personal)');
    expect(body.start).toEqual({ date: '2026-12-01' });
    expect(body.end).toEqual({ date: '2026-12-02' });
    expect(body.recurrence).toEqual(['RRULE:FREQ=DAILY;COUNT=2']);
    expect(Object.keys(body).every((k) => BUSY_BLOCK_KEYS.has(k))).toBe(true);
  });
});

describe('main copy of a client event', () => {
  const body = mainCopyBody(
    invite(C, 'accepted', { hangoutLink: 'https://meet.test/abc', transparency: 'transparent' }),
    PREFIX,
    { ...stamp, kind: 'copy' },
  );

  it('carries the details, lists attendees only in the description, never invites, sets no reminders', () => {
    expect(body.summary).toBe('Quarterly review');
    expect(body.location).toBe('Room 1');
    expect(body.attendees).toBeUndefined();
    expect(body.reminders).toEqual({ useDefault: false });
    expect(body.description).toBe(
      'Agenda: numbers\n\n--- [BusyBridge] ---\nOrganizer: Boss <boss@a.test>\nAttendees:\n- boss@a.test (accepted)\n- me@c.test (accepted)\nMeeting link: https://meet.test/abc',
    );
  });

  it('keeps the show-as setting', () => {
    expect(body.transparency).toBe('transparent');
  });

  it('the reference block is stripped when an edit is pushed back', () => {
    expect(stripReference(body.description, PREFIX)).toBe('Agenda: numbers');
    expect(stripReference('plain', PREFIX)).toBe('plain');
  });
});

describe('content hashes', () => {
  it('the same instant written in another offset is the same content', () => {
    expect(contentHash({ start: { dateTime: '2026-11-25T11:00:00+01:00' } })).toBe(
      contentHash({ start: { dateTime: '2026-11-25T10:00:00Z' } }),
    );
  });
  it('a listed event matches the body we wrote despite the fields Google adds', () => {
    const written = busyBlockBody(ev(), PREFIX, { ...stamp, kind: 'busy' });
    const listed: GoogleEvent = {
      ...written,
      kind: 'calendar#event',
      id: 'x',
      etag: '"5"',
      htmlLink: 'h',
      iCalUID: 'i',
      created: 'c',
      updated: 'u',
      visibility: 'private',
      start: { dateTime: '2026-11-25T11:00:00+01:00', timeZone: undefined },
    };
    expect(observedHash(listed, written)).toBe(contentHash(written));
    expect(observedHash({ ...listed, status: 'cancelled' }, written)).not.toBe(contentHash(written));
  });
});

describe('deterministic copy ids (invariant 1)', () => {
  const input = { userId: 1, originCalendarId: 2, originEventId: 'abc', targetCalendarId: 1 };
  it('are 26 base32hex characters, stable, and differ per target', () => {
    const id = copyId(KEY, input);
    expect(id).toMatch(/^[0-9a-v]{26}$/);
    expect(copyId(KEY, input)).toBe(id);
    expect(copyId(KEY, { ...input, targetCalendarId: 3 })).not.toBe(id);
    expect(copyId(Buffer.alloc(32, 8), input)).not.toBe(id);
  });
  it('an instance of a copied series is {copyId}_{origin instance suffix}', () => {
    expect(instanceSuffix('series1_20261130T090000Z', 'series1')).toBe('20261130T090000Z');
    const id = copyIdForOrigin(KEY, 1, 2, { id: 'series1_20261130T090000Z', recurringEventId: 'series1' }, 1);
    expect(id).toBe(`${copyId(KEY, { ...input, originEventId: 'series1' })}_20261130T090000Z`);
    expect(id).toMatch(COPY_ID_PATTERN);
  });
});

type EditRow = [string, GoogleEvent, PlanCalendar, boolean];
const editRows: EditRow[] = [
  ['organizer on an owned calendar may edit', ev(), A, true],
  [
    'guest with guestsCanModify on a writable calendar may edit',
    invite(C, 'accepted', { guestsCanModify: true }),
    C,
    true,
  ],
  ['guest without guestsCanModify may not edit', invite(C, 'accepted'), C, false],
  ['organizer but the calendar is read-only: may not edit', ev(), R_READER, false],
  [
    'guestsCanModify on a read-only calendar: may not edit',
    invite(R_READER, 'accepted', { guestsCanModify: true }),
    R_READER,
    false,
  ],
  ['event created on the calendar (no organizer) on a writable calendar', ev({ organizer: undefined }), C, true],
  ['locked event: may not edit', ev({ locked: true }), A, false],
  ['personal calendars are never written', ev(), P, false],
];

describe('determining edit rights', () => {
  it.each(editRows)('%s', (_rule, event, calendar, expected) => {
    expect(canEditOrigin(event, calendar)).toBe(expected);
  });
});

describe('eligibility', () => {
  it.each([
    ['opaque event blocks', ev(), true],
    ['transparent (Free) event blocks nothing', ev({ transparency: 'transparent' }), false],
    ['declined invitation blocks nothing', invite(MAIN, 'declined'), false],
    ['cancelled blocks nothing', ev({ status: 'cancelled' }), false],
    ['workingLocation blocks nothing', ev({ eventType: 'workingLocation' }), false],
    ['outOfOffice blocks', ev({ eventType: 'outOfOffice' }), true],
  ] as Array<[string, GoogleEvent, boolean]>)('%s', (_rule, event, expected) => {
    expect(blocksTime(event, MAIN)).toBe(expected);
  });

  it('lookback: exactly at the edge is still copied, a day before is not; series always are', () => {
    const ended = (daysAgo: number) =>
      ev({ end: { dateTime: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString() } });
    expect(withinLookback(ended(30), NOW, 30)).toBe(true);
    expect(withinLookback(ended(31), NOW, 30)).toBe(false);
    expect(withinLookback({ ...ended(400), recurrence: ['RRULE:FREQ=WEEKLY'] }, NOW, 30)).toBe(true);
  });

  it("ours = our private marker, in any user's or install's write", () => {
    expect(isOurs(ev({ extendedProperties: { private: { busybridge: '1' } } }))).toBe(true);
    expect(isOurs(ev({ extendedProperties: { shared: { busybridge: '1' } } }))).toBe(false);
    expect(isOurs(ev())).toBe(false);
  });
});
