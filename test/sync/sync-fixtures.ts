import { ClientCalendar, User } from '../../src/database/entities';
import { RawEvent, SeedData } from '../fake-google';
import { SyncWorld } from '../support/sync-world';

export const PREFIX = '[BusyBridge]';
export const MAIN = 'ann@home.example';
export const A = 'me@clienta.example';
export const B = 'me@clientb.example';
export const C = 'me@clientc.example';
export const D = 'me@clientd.example';
export const PERSONAL = 'ann@gmail.example';

export const SEED: SeedData = {
  domains: ['home.example', 'clienta.example', 'clientb.example', 'clientc.example', 'clientd.example'],
  accounts: [
    { email: MAIN },
    { email: 'ben@home.example' },
    { email: A },
    { email: B },
    { email: C },
    { email: D },
    { email: 'boss@clienta.example' },
    { email: 'boss@clientc.example' },
    { email: 'ben@clienta.example' },
    { email: PERSONAL, hd: null },
  ],
};

export interface Ann {
  user: User;
  main: ClientCalendar;
  a: ClientCalendar;
  b: ClientCalendar;
  c: ClientCalendar;
  personal: ClientCalendar;
  d?: ClientCalendar;
}

export async function connectAnn(world: SyncWorld, withD = false): Promise<Ann> {
  const user = await world.addUser(MAIN);
  const ann: Ann = {
    user,
    main: await world.connect(user, MAIN, MAIN, 'main'),
    a: await world.connect(user, A, A, 'client'),
    b: await world.connect(user, B, B, 'client'),
    c: await world.connect(user, C, C, 'client'),
    personal: await world.connect(user, PERSONAL, PERSONAL, 'personal'),
  };
  if (withD) ann.d = await world.connect(user, D, D, 'client');
  return ann;
}

/** Tomorrow at `hour` UTC (plus `minutes`), so events sit well inside the sync window. */
export function at(hour: number, minutes = 60): { start: { dateTime: string }; end: { dateTime: string } } {
  const day = new Date(Date.now() + 86_400_000);
  const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  return {
    start: { dateTime: new Date(start).toISOString() },
    end: { dateTime: new Date(start + minutes * 60_000).toISOString() },
  };
}

export function allDay(daysAhead = 2): { start: { date: string }; end: { date: string } } {
  const d = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  return { start: { date: d(daysAhead) }, end: { date: d(daysAhead + 1) } };
}

const DETAIL_FIELDS = [
  'description',
  'location',
  'attendees',
  'conferenceData',
  'hangoutLink',
  'attachments',
  'source',
  'colorId',
];

/** Invariant 2 on one stored event: exactly a busy block and nothing more. */
export function expectBusyBlock(e: RawEvent, personal = false): void {
  const d = e.data as Record<string, unknown> & RawEvent['data'];
  expect(d.summary).toBe(personal ? `${PREFIX} Busy (Personal)` : `${PREFIX} Busy`);
  expect(d.visibility).toBe('private');
  expect(d.transparency ?? 'opaque').toBe('opaque');
  expect(
    DETAIL_FIELDS.filter(
      (k) => d[k] !== undefined && d[k] !== '' && !(Array.isArray(d[k]) && (d[k] as unknown[]).length === 0),
    ),
  ).toEqual([]);
  expect(d.reminders).toEqual({ useDefault: false });
  expect(d.extendedProperties?.private?.busybridge).toBe('1');
}

/** Summaries of the live events of a calendar, sorted: the exact picture of what is there. */
export function titles(world: Pick<SyncWorld, 'live'>, calendarId: string): string[] {
  return world
    .live(calendarId)
    .map((e) => String(e.data.summary ?? ''))
    .sort();
}
