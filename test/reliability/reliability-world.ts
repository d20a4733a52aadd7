import { spawn } from 'node:child_process';
import { projectPath } from '../../src/paths';
import { ClientCalendar, User } from '../../src/database/entities';
import { SeedData } from '../fake-google';
import { GoogleApiError as FakeGoogleError } from '../fake-google/errors';
import { checkInvariants, CheckedUser, readDbRows } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';

/**
 * Shared ground for the reliability tests: a few users with main + two clients + personal, people editing
 * their calendars at random (seeded), and the invariant checker run over everything.
 */
export const PREFIX = '[BusyBridge]';
const DAY = 86_400_000;

export const mainOf = (u: number) => `u${u}@home.example`;
export const clientOf = (u: number, c: number) => `u${u}@r${c}.example`;
export const personalOf = (u: number) => `u${u}@gmail.example`;

export function reliabilitySeed(users: number): SeedData {
  const accounts: NonNullable<SeedData['accounts']> = [];
  for (let u = 0; u < users; u++)
    accounts.push(
      { email: mainOf(u) },
      { email: clientOf(u, 1) },
      { email: clientOf(u, 2) },
      { email: personalOf(u), hd: null },
    );
  return { domains: ['home.example', 'r1.example', 'r2.example'], accounts };
}

export interface RelUser {
  index: number;
  user: User;
  /** Rows by Google calendar id. */
  rows: Map<string, ClientCalendar>;
}

export async function connectAll(world: SyncWorld, users: number): Promise<RelUser[]> {
  const out: RelUser[] = [];
  for (let u = 0; u < users; u++) {
    const user = await world.addUser(mainOf(u));
    const rows = new Map<string, ClientCalendar>();
    rows.set(mainOf(u), await world.connect(user, mainOf(u), mainOf(u), 'main'));
    for (const c of [1, 2])
      rows.set(clientOf(u, c), await world.connect(user, clientOf(u, c), clientOf(u, c), 'client'));
    rows.set(personalOf(u), await world.connect(user, personalOf(u), personalOf(u), 'personal'));
    out.push({ index: u, user, rows });
  }
  return out;
}

export { prng } from '../support/prng';

/** Times `days` ahead of `nowMs` (the emulator's clock may run ahead of the wall clock). */
function times(rand: () => number, nowMs: number, recurring: boolean) {
  const day = new Date(nowMs + (1 + Math.floor(rand() * 14)) * DAY).toISOString().slice(0, 10);
  const h = String(7 + Math.floor(rand() * 10)).padStart(2, '0');
  const e = String(Number(h) + 1).padStart(2, '0');
  if (recurring)
    return {
      start: { dateTime: `${day}T${h}:00:00`, timeZone: 'Europe/Zurich' },
      end: { dateTime: `${day}T${e}:00:00`, timeZone: 'Europe/Zurich' },
      recurrence: [`RRULE:FREQ=DAILY;COUNT=${2 + Math.floor(rand() * 4)}`],
    };
  return { start: { dateTime: `${day}T${h}:00:00Z` }, end: { dateTime: `${day}T${e}:00:00Z` } };
}

/**
 * One random action by a person on one of their own calendars (create, retitle, move, delete, a short
 * series). Returns the row id of the calendar touched, so the caller can deliver the "webhook".
 */
export function personActs(world: SyncWorld, users: RelUser[], rand: () => number, nowMs = Date.now()): number {
  const g = world.fake.control;
  const u = users[Math.floor(rand() * users.length)];
  const cals = [...u.rows.keys()];
  const cal = cals[Math.floor(rand() * cals.length)];
  const natives = world
    .live(cal)
    .filter((e) => !e.data.extendedProperties?.private?.busybridge && !e.data.recurringEventId);
  const target = natives.length ? natives[Math.floor(rand() * natives.length)] : null;
  const r = rand();
  try {
    if (!target || r < 0.4)
      g.createEvent(cal, cal, { summary: `E${Math.floor(rand() * 1e6)}`, ...times(rand, nowMs, rand() < 0.15) });
    else if (r < 0.6) g.patchEvent(cal, cal, target.id, { summary: `${target.data.summary}'` });
    else if (r < 0.8 && !target.data.recurrence) g.patchEvent(cal, cal, target.id, times(rand, nowMs, false));
    else g.deleteEvent(cal, cal, target.id);
  } catch (error) {
    if (!(error instanceof FakeGoogleError)) throw error;
  }
  return u.rows.get(cal)!.id;
}

export function checked(users: RelUser[]): CheckedUser[] {
  return users.map((u) => ({
    userId: u.user.id,
    calendars: [...u.rows.entries()].map(([googleId, row]) => ({
      rowId: row.id,
      googleId,
      kind: row.calendarType,
      account: googleId,
    })),
  }));
}

/** Every invariant violation (empty = converged), with the database read through the product's reader. */
export async function problems(world: SyncWorld, users: RelUser[], nowMs = Date.now()): Promise<string[]> {
  const db = await readDbRows((sql) => world.db.reader.query(sql));
  return checkInvariants(world.fake, checked(users), db, { prefix: PREFIX, windowStartMs: nowMs - 30 * DAY, nowMs });
}

/** Managed events (ours) across every calendar of these users: the checker must have had something to check. */
export function managedCount(world: SyncWorld, users: RelUser[]): number {
  return users.reduce(
    (n, u) =>
      n +
      [...u.rows.keys()].reduce(
        (m, cal) => m + world.live(cal).filter((e) => e.data.extendedProperties?.private?.busybridge).length,
        0,
      ),
    0,
  );
}

/** The lock holder: its own process and connection, so its COMMIT never waits on our busy threads. */
const LOCK_HOLDER = `
const sqlite3 = require('sqlite3');
const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READWRITE);
db.exec("BEGIN IMMEDIATE; INSERT INTO settings (key, value_plain) VALUES ('reliability_lock_probe', 'held') ON CONFLICT(key) DO UPDATE SET value_plain = 'held'", (e) => {
  if (e) { process.stderr.write(String(e)); process.exit(1); }
  process.stdout.write('locked\\n');
  setTimeout(() => db.exec('COMMIT', (c) => { process.stdout.write(c ? String(c) : 'released\\n'); db.close(() => process.exit(c ? 1 : 0)); }), Number(process.argv[2]));
});`;

/**
 * Another process (the plain sqlite3 driver, as the sqlite3 CLI or a backup tool would be) holding the
 * product's SQLite file under BEGIN IMMEDIATE, with a real write inside, for `ms`. Resolves once the lock is
 * taken; `released` resolves with the moment it was given back.
 */
export async function holdWriteLock(
  file: string,
  ms: number,
): Promise<{ lockedAt: number; released: Promise<number> }> {
  const child = spawn(process.execPath, ['-e', LOCK_HOLDER, file, String(ms)], {
    cwd: projectPath(),
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const released = new Promise<number>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 && out.includes('released')
        ? resolve(Date.now())
        : reject(new Error(`lock holder: ${code} ${out} ${err}`)),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('locked')) resolve();
    });
    child.once('exit', () => reject(new Error(`lock holder did not lock: ${err}`)));
  });
  return { lockedAt: Date.now(), released };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
