import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { checkInvariants, CheckedUser, readDbRows } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';
import { prng } from './convergence-world';
import { A, Ann, at, B, C, connectAnn, MAIN, PERSONAL, PREFIX, SEED } from './sync-fixtures';

const KILLS = Number(process.env.CRASH_KILLS ?? 4);
const SEED_NO = Number(process.env.CRASH_SEED ?? 7);
const DAY = 86_400_000;

/** The product in its own node process (test/support/crash-child.js), killed with SIGKILL when told. */
async function runChild(
  world: SyncWorld,
  userId: number,
  killAfterMs: number,
): Promise<{ rounds: number; writes: number }> {
  const before = Object.values(world.writes()).reduce((a, b) => a + b, 0);
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, '../support/crash-child.js')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      GOOGLE_BASE_URL: world.fake.url,
      CHILD_DIR: world.dir,
      USER_ID: String(userId),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!out.includes('ready') && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 20));
  if (!out.includes('ready')) throw new Error(`child did not start: ${err.slice(-2000)}`);
  // The random moment is counted from its first write, so a slow start on a loaded machine still dies mid-work.
  const total = () => Object.values(world.writes()).reduce((a, b) => a + b, 0);
  while (total() === before && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, killAfterMs));
  child.kill('SIGKILL');
  await exited;
  const writes = Object.values(world.writes()).reduce((a, b) => a + b, 0) - before;
  return { rounds: (out.match(/^round \d+$/gm) ?? []).length, writes };
}

describe('hard crashes: the product SIGKILLed at random moments while it syncs', () => {
  it('a few hundred events, several kills, restart: no duplicate, invariants hold', async () => {
    const rand = prng(SEED_NO);

    console.log(`crash test: CRASH_SEED=${SEED_NO} CRASH_KILLS=${KILLS}`);
    const world = await SyncWorld.start(SEED);
    try {
      const ann: Ann = await connectAnn(world);
      const g = world.fake.control;
      const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
      for (let i = 0; i < 120; i++)
        g.createEvent(A, A, {
          summary: `A${i}`,
          ...at(7 + (i % 10), 30),
          ...(i % 10 === 9 ? { transparency: 'transparent' } : {}),
        });
      for (let i = 0; i < 50; i++) g.createEvent(B, B, { summary: `B${i}`, ...at(8 + (i % 8)) });
      for (let i = 0; i < 50; i++) g.createEvent(MAIN, MAIN, { summary: `M${i}`, ...at(9 + (i % 6)) });
      for (let i = 0; i < 20; i++) g.createEvent(PERSONAL, PERSONAL, { summary: `P${i}`, ...at(18 + (i % 4)) });
      for (let i = 0; i < 10; i++) {
        const s = g.createEvent(A, A, {
          summary: `Series${i}`,
          start: { dateTime: `${day(2 + i)}T10:00:00`, timeZone: 'Europe/Zurich' },
          end: { dateTime: `${day(2 + i)}T11:00:00`, timeZone: 'Europe/Zurich' },
          recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
        });
        const ids = g.instanceIds(A, s.id!);
        g.patchEvent(A, A, ids[1], { summary: `Series${i} (moved)` });
        g.deleteEvent(A, A, ids[2]);
      }
      await world.stopProduct();

      const lives: Array<{ rounds: number; writes: number }> = [];
      for (let k = 0; k < KILLS; k++) {
        lives.push(await runChild(world, ann.user.id, 300 + Math.floor(rand() * 2500)));
        // People keep working between crashes.
        const victims = world
          .live(A)
          .filter(
            (e) => !e.data.extendedProperties?.private?.busybridge && !e.data.recurringEventId && !e.data.recurrence,
          );
        g.patchEvent(A, A, victims[Math.floor(rand() * victims.length)].id, { ...at(15, 45) });
        g.deleteEvent(A, A, victims[Math.floor(rand() * victims.length)].id);
      }

      console.log(`crash test lives: ${JSON.stringify(lives)}`);
      // Killed mid-work: every life wrote, and no life got through a whole pass before the last kill.
      expect(lives.every((l) => l.writes > 0)).toBe(true);
      expect(lives[0].rounds).toBe(0);

      await world.startProduct();
      await world.sync.fullResync(ann.user.id);
      await world.sync.fullResync(ann.user.id);
      const users: CheckedUser[] = [
        {
          userId: ann.user.id,
          calendars: [
            { rowId: ann.main.id, googleId: MAIN, kind: 'main', account: MAIN },
            { rowId: ann.a.id, googleId: A, kind: 'client', account: A },
            { rowId: ann.b.id, googleId: B, kind: 'client', account: B },
            { rowId: ann.c.id, googleId: C, kind: 'client', account: C },
            { rowId: ann.personal.id, googleId: PERSONAL, kind: 'personal', account: PERSONAL },
          ],
        },
      ];
      const db = await readDbRows((sql) => world.db.reader.query(sql));
      expect(checkInvariants(world.fake, users, db, { prefix: PREFIX, windowStartMs: Date.now() - 30 * DAY })).toEqual(
        [],
      );
      // One main copy per client origin (single or series), none twice.
      const originsOn = (cal: string) =>
        world.live(cal).filter((e) => !e.data.extendedProperties?.private?.busybridge && !e.data.recurringEventId)
          .length;
      const copies = world
        .live(MAIN)
        .filter((e) => e.data.extendedProperties?.private?.busybridgeKind === 'copy' && !e.data.recurringEventId);
      expect(copies).toHaveLength(originsOn(A) + originsOn(B));
      expect(new Set(copies.map((e) => e.data.extendedProperties?.private?.busybridgeMapping)).size).toBe(
        copies.length,
      );
    } finally {
      await world.close();
    }
  }, 300_000);
});
