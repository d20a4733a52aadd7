import { GoogleApiError as FakeGoogleError } from '../fake-google/errors';
import { checkInvariants, readDbRows } from '../support/invariants';
import { SyncWorld } from '../support/sync-world';
import {
  bossOf,
  checkedUsers,
  CLIENTS,
  clientOf,
  connectUsers,
  convergenceSeed,
  mainOf,
  personalOf,
  prng,
  randomTimes,
  SimUser,
} from './convergence-world';

/**
 * Invariant 4 of docs/architecture.md (convergence): random operations by people on every kind of calendar, with
 * injected 429/5xx/timeouts, triggers that never arrive (dropped webhooks) and two restarts; after the
 * faults stop and a few rounds run, the invariant checker must find nothing. Replay: CONVERGENCE_SEED=<n>.
 */
const OPS = Number(process.env.CONVERGENCE_OPS ?? 200);
const SEEDS = process.env.CONVERGENCE_SEED ? [Number(process.env.CONVERGENCE_SEED)] : [101, 202, 303];
const PREFIX = '[BusyBridge]';
const DAY = 86_400_000;

describe.each(SEEDS)('convergence under faults, drops and restarts (seed %i)', (seed) => {
  it('settles into exactly the expected managed events, database agreeing', async () => {
    console.log(`convergence: CONVERGENCE_SEED=${seed} CONVERGENCE_OPS=${OPS}`);
    const rand = prng(seed);
    const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
    const world = await SyncWorld.start(convergenceSeed());
    try {
      const users = await connectUsers(world);
      const g = world.fake.control;
      for (const u of users) await world.sync.fullResync(u.user.id);
      g.injectFault({ path: '/calendar/v3/', status: 503, reason: 'backendError', share: 0.04 });
      g.injectFault({ path: '/calendar/v3/', status: 429, reason: 'rateLimitExceeded', share: 0.03, retryAfter: 0 });
      g.injectFault({ path: '/calendar/v3/', status: 403, reason: 'rateLimitExceeded', share: 0.01 });
      g.injectFault({ path: '/calendar/v3/', timeout: true, delayMs: 150, share: 0.02 });

      const natives = (cal: string) => world.live(cal).filter((e) => !e.data.extendedProperties?.private?.busybridge);
      const ownCal = (u: SimUser): string =>
        pick(
          [mainOf(u.index), personalOf(u.index), ...[1, 2, 3].map((c) => clientOf(u.index, c))].filter(
            (c) => !u.disconnected.has(c),
          ),
        )!;
      const trigger = (u: SimUser, googleId: string) => {
        // A dropped webhook: the change is only found by a later poll or the consistency check.
        const row = u.rows.get(googleId);
        if (row && !u.disconnected.has(googleId) && rand() > 0.25) world.sync.requestSync(row.id, 'webhook');
      };

      const ops: Array<[number, (u: SimUser) => Promise<void> | void]> = [
        [
          14,
          (u) => {
            const cal = ownCal(u);
            g.createEvent(cal, cal, {
              summary: `E${Math.floor(rand() * 1e6)}`,
              transparency: rand() < 0.1 ? 'transparent' : 'opaque',
              ...randomTimes(rand, false),
            });
            trigger(u, cal);
          },
        ],
        [
          6,
          (u) => {
            const cal = ownCal(u);
            g.createEvent(cal, cal, { summary: `R${Math.floor(rand() * 1e6)}`, ...randomTimes(rand, true) });
            trigger(u, cal);
          },
        ],
        [
          8,
          (u) => {
            const cal = ownCal(u);
            const e = pick(natives(cal).filter((x) => x.organizerCalendarId === cal));
            if (e) g.patchEvent(cal, cal, e.id, { summary: `${e.data.summary}'` });
            trigger(u, cal);
          },
        ],
        [
          8,
          (u) => {
            const cal = ownCal(u);
            const e = pick(natives(cal).filter((x) => x.organizerCalendarId === cal && !x.data.recurringEventId));
            if (e) g.patchEvent(cal, cal, e.id, randomTimes(rand, !!e.data.recurrence));
            trigger(u, cal);
          },
        ],
        [
          6,
          (u) => {
            const cal = ownCal(u);
            const e = pick(natives(cal).filter((x) => x.organizerCalendarId === cal));
            if (e) g.deleteEvent(cal, cal, e.id);
            trigger(u, cal);
          },
        ],
        [6, (u) => instanceOp(u, false)],
        [5, (u) => instanceOp(u, true)],
        [
          6,
          (u) => {
            const c = 1 + Math.floor(rand() * CLIENTS);
            const attendees = [{ email: clientOf(u.index, c) }, ...(rand() < 0.3 ? [{ email: mainOf(u.index) }] : [])];
            g.createEvent(bossOf(c), bossOf(c), {
              summary: `Invite${Math.floor(rand() * 1e6)}`,
              attendees,
              ...randomTimes(rand, rand() < 0.2),
            });
            trigger(u, clientOf(u.index, c));
            if (attendees.length > 1) trigger(u, mainOf(u.index));
          },
        ],
        [
          3,
          (u) => {
            const c = 1 + Math.floor(rand() * CLIENTS);
            const e = pick(
              natives(clientOf(u.index, c)).filter(
                (x) => x.organizerCalendarId === bossOf(c) && !x.data.recurringEventId,
              ),
            );
            if (e) g.respondToInvitation(clientOf(u.index, c), e.id, rand() < 0.7 ? 'declined' : 'accepted');
            trigger(u, clientOf(u.index, c));
          },
        ],
        [
          3,
          (u) => {
            const copy = pick(
              world
                .live(mainOf(u.index))
                .filter(
                  (e) => e.data.extendedProperties?.private?.busybridgeKind === 'copy' && !e.data.recurringEventId,
                ),
            );
            if (copy && rand() < 0.7)
              g.patchEvent(mainOf(u.index), mainOf(u.index), copy.id, {
                summary: `${copy.data.summary} (edited on main)`,
              });
            else if (copy) g.deleteEvent(mainOf(u.index), mainOf(u.index), copy.id);
            trigger(u, mainOf(u.index));
          },
        ],
        [
          3,
          (u) => {
            const cal = clientOf(u.index, 1 + Math.floor(rand() * CLIENTS));
            const block = pick(
              world.live(cal).filter((e) => e.data.extendedProperties?.private?.busybridgeKind === 'busy'),
            );
            if (block) g.deleteEvent(cal, cal, block.id); // someone at the client removes a block
          },
        ],
        [2, async (u) => disconnectOrReconnect(u)],
      ];
      const total = ops.reduce((s, [w]) => s + w, 0);

      function instanceOp(u: SimUser, cancel: boolean): void {
        const cal = ownCal(u);
        const series = pick(natives(cal).filter((x) => x.data.recurrence && x.organizerCalendarId === cal));
        if (!series) return;
        const id = pick(g.instanceIds(cal, series.id).slice(0, 6));
        if (!id) return;
        if (cancel) g.deleteEvent(cal, cal, id);
        else g.patchEvent(cal, cal, id, { summary: `${series.data.summary} (one)` });
        trigger(u, cal);
      }

      async function disconnectOrReconnect(u: SimUser): Promise<void> {
        const gone = [...u.disconnected];
        if (gone.length && rand() < 0.6) {
          const cal = gone[0];
          u.rows.set(cal, await world.connect(u.user, cal, cal, cal.includes('gmail') ? 'personal' : 'client'));
          u.disconnected.delete(cal);
          world.sync.requestSync(u.rows.get(cal)!.id, 'reconnect');
          return;
        }
        const cal = pick(
          [personalOf(u.index), ...[1, 2, 3].map((c) => clientOf(u.index, c))].filter((c) => !u.disconnected.has(c)),
        );
        if (!cal) return;
        try {
          await world.sync.disconnectCalendar(u.rows.get(cal)!.id);
          u.disconnected.add(cal);
        } catch {
          // Google refused mid-cleanup (injected fault): the calendar stays connected, as the product promises.
        }
      }

      for (let i = 0; i < OPS; i++) {
        const u = pick(users)!;
        let r = rand() * total;
        const op = ops.find(([w]) => (r -= w) < 0) ?? ops[0];
        try {
          await op[1](u);
        } catch (error) {
          // A person's action Google refuses (deleting what is already gone, editing as a guest) changes nothing.
          if (!(error instanceof FakeGoogleError)) throw error;
        }
        if (i % 25 === 24) await world.sync.pollAll();
        if (i === Math.floor(OPS / 3) || i === Math.floor((2 * OPS) / 3)) {
          await world.sync.onIdle();
          await world.restart();
        }
      }

      // Settle: faults off, the hourly check and a poll round, twice.
      await world.sync.onIdle();
      g.clearFaults();
      for (let round = 0; round < 2; round++) {
        await world.sync.consistencyCheck();
        for (const u of users)
          for (const [cal, row] of u.rows)
            if (!u.disconnected.has(cal)) await world.sync.syncCalendarNow(row.id).catch(() => undefined);
      }
      const db = await readDbRows((sql) => world.db.reader.query(sql));
      const problems = checkInvariants(world.fake, checkedUsers(users), db, {
        prefix: PREFIX,
        windowStartMs: Date.now() - 30 * DAY,
      });
      for (const u of users) {
        for (const cal of u.disconnected) {
          const left = world
            .live(cal)
            .filter((e) => e.data.extendedProperties?.private?.busybridgeUser === String(u.user.id));
          if (left.length)
            problems.push(`${cal} (disconnected) still holds ${left.length} of user ${u.user.id}'s events`);
        }
      }
      const personalWrites = g
        .callLog()
        .filter((c) => c.calendarId?.includes('@gmail.') && /insert|update|patch|delete/.test(c.kind));
      if (personalWrites.length) problems.push(`${personalWrites.length} writes to personal calendars`);
      expect({ seed, problems }).toEqual({ seed, problems: [] });
      // The run really exercised faults, series and exceptions, and the checker really looks.
      const faulted = g.callLog().filter((c) => c.faulted).length;
      const managed = users.flatMap((u) =>
        [...u.rows.keys()].flatMap((cal) =>
          world.live(cal).filter((e) => e.data.extendedProperties?.private?.busybridgeUser === String(u.user.id)),
        ),
      );

      console.log(
        `convergence seed ${seed}: ${faulted} faulted calls, ${managed.length} managed events, ${managed.filter((e) => e.data.recurrence).length} series, ${managed.filter((e) => e.data.recurringEventId).length} exceptions`,
      );
      expect(faulted).toBeGreaterThan(10);
      expect(managed.filter((e) => e.data.recurrence).length).toBeGreaterThan(0);
      const victim = managed.find(
        (e) => e.data.extendedProperties?.private?.busybridgeKind === 'busy' && !e.data.recurringEventId,
      )!;
      const victimCal = users
        .flatMap((u) => [...u.rows.keys()])
        .find((cal) => world.live(cal).some((e) => e.id === victim.id))!;
      g.deleteEvent(victimCal, victimCal, victim.id);
      expect(
        checkInvariants(world.fake, checkedUsers(users), db, {
          prefix: PREFIX,
          windowStartMs: Date.now() - 30 * DAY,
        }).some((p) => p.includes('0 copies')),
      ).toBe(true);
    } finally {
      await world.close();
    }
  }, 240_000);
});
