import { ClientCalendar, User } from '../../src/database/entities';
import { SeedData } from '../fake-google';
import { EventResource } from '../fake-google/model';
import { CheckedCalendar, CheckedUser } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';

export const USERS = 3;
export const CLIENTS = 3;
const DAY = 86_400_000;

export { prng } from '../support/prng';

export const mainOf = (u: number) => `u${u}@home.example`;
export const clientOf = (u: number, c: number) => `u${u}@c${c}.example`;
export const personalOf = (u: number) => `u${u}@gmail.example`;
export const bossOf = (c: number) => `boss@c${c}.example`;

export function convergenceSeed(): SeedData {
  const accounts: NonNullable<SeedData['accounts']> = [];
  for (let u = 0; u < USERS; u++) {
    accounts.push({ email: mainOf(u) }, { email: personalOf(u), hd: null });
    for (let c = 1; c <= CLIENTS; c++) accounts.push({ email: clientOf(u, c) });
  }
  for (let c = 1; c <= CLIENTS; c++) accounts.push({ email: bossOf(c) });
  return { domains: ['home.example', ...Array.from({ length: CLIENTS }, (_, i) => `c${i + 1}.example`)], accounts };
}

export interface SimUser {
  index: number;
  user: User;
  /** Current rows by Google calendar id (a reconnect replaces the row). */
  rows: Map<string, ClientCalendar>;
  disconnected: Set<string>;
}

export async function connectUsers(world: SyncWorld): Promise<SimUser[]> {
  const out: SimUser[] = [];
  for (let u = 0; u < USERS; u++) {
    const user = await world.addUser(mainOf(u));
    const rows = new Map<string, ClientCalendar>();
    rows.set(mainOf(u), await world.connect(user, mainOf(u), mainOf(u), 'main'));
    for (let c = 1; c <= CLIENTS; c++)
      rows.set(clientOf(u, c), await world.connect(user, clientOf(u, c), clientOf(u, c), 'client'));
    rows.set(personalOf(u), await world.connect(user, personalOf(u), personalOf(u), 'personal'));
    out.push({ index: u, user, rows, disconnected: new Set() });
  }
  return out;
}

export function checkedUsers(users: SimUser[]): CheckedUser[] {
  return users.map((u) => ({
    userId: u.user.id,
    calendars: [...u.rows.entries()]
      .filter(([id]) => !u.disconnected.has(id))
      .map(([googleId, row]): CheckedCalendar => ({
        rowId: row.id,
        googleId,
        kind: row.calendarType,
        account: googleId,
      })),
  }));
}

/** Random times in the next weeks, timed (sometimes in a DST zone) or all-day. */
export function randomTimes(
  rand: () => number,
  recurring: boolean,
): Pick<EventResource, 'start' | 'end' | 'recurrence'> {
  const day = new Date(Date.now() + (1 + Math.floor(rand() * 20)) * DAY).toISOString().slice(0, 10);
  const recurrence = recurring
    ? [`RRULE:FREQ=${rand() < 0.7 ? 'WEEKLY' : 'DAILY'};COUNT=${3 + Math.floor(rand() * 6)}`]
    : undefined;
  if (rand() < 0.12) {
    const end = new Date(Date.parse(day) + DAY).toISOString().slice(0, 10);
    return { start: { date: day }, end: { date: end }, ...(recurrence ? { recurrence } : {}) };
  }
  const hour = 7 + Math.floor(rand() * 10);
  const hh = String(hour).padStart(2, '0');
  const eh = String(hour + 1).padStart(2, '0');
  if (recurring || rand() < 0.3) {
    const timeZone = rand() < 0.5 ? 'Europe/Zurich' : 'UTC';
    return {
      start: { dateTime: `${day}T${hh}:00:00`, timeZone },
      end: { dateTime: `${day}T${eh}:00:00`, timeZone },
      ...(recurrence ? { recurrence } : {}),
    };
  }
  return { start: { dateTime: `${day}T${hh}:00:00Z` }, end: { dateTime: `${day}T${eh}:00:00Z` } };
}
