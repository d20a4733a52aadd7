import type { CallRecord } from '../test/fake-google';
import { EmulatorHandle } from './emulator/handle';
import { BenchWorld, futureEvent } from './support/bench-world';
import { countByKind, settle, WRITE_KINDS } from './support/settle';

export const COUNTED_KINDS = [
  'events.list',
  'events.insert',
  'events.patch',
  'events.update',
  'events.delete',
  'events.get',
  'events.instances',
];

export interface EconomyRow {
  change: string;
  calls: Record<string, number>;
  /** The minimum: one list on the changed calendar, one write per target, one list per echo. */
  minimum: { lists: number; writes: number };
  lists: number;
  writes: number;
  other: number;
}

export interface ConnectResult {
  events: number;
  /** Calendars written to: main and every other client (each has its own write limit; written side by side). */
  targets: number;
  others: number;
  writeLimitPerSecond: number;
  durationMs: number;
  calls: Record<string, number>;
  /** Calls the emulator refused (its rate limit), retried by the product. */
  refused: number;
  copiesOnMain: number;
  blocksPerOtherClient: number[];
}

function row(change: string, calls: CallRecord[], targets: number): EconomyRow {
  const { byKind } = countByKind(
    calls.filter((c) => c.kind.startsWith('events.') || c.kind.startsWith('calendarList')),
  );
  const lists = byKind['events.list'] ?? 0;
  const writes = calls.filter((c) => WRITE_KINDS.has(c.kind)).length;
  const other = Object.entries(byKind)
    .filter(([k]) => k !== 'events.list' && !WRITE_KINDS.has(k))
    .reduce((a, [, n]) => a + n, 0);
  return {
    change,
    calls: byKind,
    minimum: { lists: targets === 0 ? 1 : 1 + targets, writes: targets },
    lists,
    writes,
    other,
  };
}

/** Runs `act`, lets the product settle, and returns every Google call made since. */
async function measure(world: BenchWorld, act: () => Promise<unknown>): Promise<CallRecord[]> {
  const since = Date.now();
  await act();
  await settle(world, 1200, since);
  return world.emulator.control.calls({ since });
}

/** Calls per change on one client of a consultant with `clients` client calendars (webhooks on). */
export async function benchEconomy(emulator: EmulatorHandle, clients = 4): Promise<EconomyRow[]> {
  await emulator.control.setLatency(0);
  await emulator.control.setPush({ dropShare: 0, delayMs: 0 });
  const world = await BenchWorld.start(emulator);
  try {
    const u = await world.addConsultant('econ', clients);
    await world.watchAll(u);
    await world.sync.fullResync(u.user.id);
    await settle(world);
    const c = world.emulator.control;
    const { account } = u.clients[0];
    const targets = clients; // main + every other client
    const rows: EconomyRow[] = [];
    let id = '';
    rows.push(
      row(
        'create',
        await measure(
          world,
          async () => (id = (await c.createEvent(account, account, futureEvent('Kick-off', 3))).id as string),
        ),
        targets,
      ),
    );
    rows.push(
      row(
        'edit (time)',
        await measure(world, () => c.patchEvent(account, account, id, futureEvent('Kick-off', 3, 15))),
        targets,
      ),
    );
    rows.push(
      row(
        'edit (title only)',
        await measure(world, () => c.patchEvent(account, account, id, { summary: 'Kick-off (renamed)' })),
        1,
      ),
    );
    rows.push(row('delete', await measure(world, () => c.deleteEvent(account, account, id)), targets));
    const weekly = futureEvent('Weekly', 2);
    const start = (weekly.start as { dateTime: string }).dateTime;
    const end = (weekly.end as { dateTime: string }).dateTime;
    const series = await c.createEvent(account, account, {
      ...weekly,
      start: { dateTime: start, timeZone: 'UTC' },
      end: { dateTime: end, timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=10'],
    });
    await settle(world);
    const instance = (await c.instanceIds(account, series.id as string))[2];
    const moved = new Date(Date.parse(start) + 14 * 86400_000 + 3600_000);
    rows.push(
      row(
        'recurring-instance edit (time)',
        await measure(world, () =>
          c.patchEvent(account, account, instance, {
            start: { dateTime: moved.toISOString(), timeZone: 'UTC' },
            end: { dateTime: new Date(moved.getTime() + 3600_000).toISOString(), timeZone: 'UTC' },
          }),
        ),
        targets,
      ),
    );
    rows.push(
      row(
        'poll cycle, no changes',
        await measure(world, async () => {
          await world.jobs.run('periodic-sync');
          await world.sync.onIdle();
        }),
        0,
      ),
    );
    const last = rows[rows.length - 1];
    last.minimum = { lists: clients + 1, writes: 0 }; // a poll lists every calendar once
    return rows;
  } finally {
    await world.close();
  }
}

/**
 * Connecting a client calendar that holds `events` future events while `others` client calendars (and
 * main) are connected, each calendar limited to `perSecond` writes by the emulator.
 */
export async function benchConnect(
  emulator: EmulatorHandle,
  events: number,
  others = 3,
  perSecond = 10,
): Promise<ConnectResult> {
  await emulator.control.setLatency(0);
  const world = await BenchWorld.start(emulator);
  try {
    const name = `bulk${perSecond}`; // several limits run against one emulator
    const u = await world.addConsultant(name, others);
    const c = emulator.control;
    await c.createEvent(u.home, u.home, futureEvent('Home meeting', 2));
    for (const { account } of u.clients) await c.createEvent(account, account, futureEvent(`At ${account}`, 4));
    await world.watchAll(u);
    await world.sync.fullResync(u.user.id);
    await settle(world);
    const newcomer = `${name}@newclient.example`;
    await c.seed({
      domains: ['newclient.example'],
      accounts: [{ email: newcomer }],
      events: Array.from({ length: events }, (_, i) => ({
        calendarId: newcomer,
        event: futureEvent(`Booked ${i}`, 1 + (i % 300), 8 + (i % 9)),
      })),
    });
    for (const cal of [u.home, newcomer, ...u.clients.map((x) => x.account)])
      await c.setWriteRateLimit(cal, perSecond, 429);
    const live = async (cal: string) =>
      (await c.calendarState(cal)).filter((e) => e.data.status !== 'cancelled').length;
    const before = await Promise.all([u.home, ...u.clients.map((x) => x.account)].map(live));
    const since = Date.now();
    const row = await world.connect(u.user, newcomer, 'client');
    await world.webhooks.registerFor(row.id);
    await world.sync.fullResync(u.user.id); // what requestSync(id, 'connect') runs, awaited
    await settle(world);
    const durationMs = Date.now() - since;
    const calls = await c.calls({ since });
    const after = await Promise.all([u.home, ...u.clients.map((x) => x.account)].map(live));
    return {
      events,
      others,
      targets: others + 1,
      writeLimitPerSecond: perSecond,
      durationMs,
      calls: countByKind(calls).byKind,
      refused: calls.filter((x) => x.status === 429 || x.status === 403).length,
      copiesOnMain: after[0] - before[0],
      blocksPerOtherClient: after.slice(1).map((n, i) => n - before[i + 1]),
    };
  } finally {
    await world.close();
  }
}
