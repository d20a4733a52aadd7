import { EmulatorHandle } from './emulator/handle';
import { BenchUser, BenchWorld, futureEvent } from './support/bench-world';
import { lastWrites, settle, waitForWrites } from './support/settle';
import { median, percentile, sleep } from './support/stats';

export interface PropagationRow {
  mode: 'webhooks' | 'polling';
  clients: number;
  latencyMs: number;
  pollSeconds: number | null;
  trials: number;
  /** Trials whose writes did not all land in time (should be 0). */
  incomplete: number;
  medianMs: number;
  p95Ms: number;
  /** Two round trips (one list, one write per target in parallel) plus the push delay. */
  floorMs: number;
}

export interface PropagationOptions {
  clientCounts: number[];
  latencies: number[];
  trials: number;
  /** Polling-only runs: [clients, latency] pairs with webhooks dropped. */
  polling: Array<{ clients: number; latencyMs: number }>;
  pollSeconds: number;
  pushDelayMs?: number;
}

type Kind = 'create' | 'edit' | 'delete';
const KINDS: Kind[] = ['create', 'edit', 'delete'];

/** One change on the first client calendar (create, move, delete in turn); resolves with its emulator time. */
export async function change(world: BenchWorld, u: BenchUser, i: number, state: { eventId?: string }): Promise<number> {
  const { account } = u.clients[0];
  const control = world.emulator.control;
  const kind = KINDS[i % 3];
  if (kind === 'create' || !state.eventId) {
    const e = await control.createEvent(account, account, futureEvent(`Meeting ${i}`, 1 + (i % 20)));
    state.eventId = e.id;
    return Date.parse(e.updated as string);
  }
  if (kind === 'edit') {
    const e = await control.patchEvent(
      account,
      account,
      state.eventId,
      futureEvent(`Meeting ${i} moved`, 1 + (i % 20), 14),
    );
    return Date.parse(e.updated as string);
  }
  const id = state.eventId;
  state.eventId = undefined;
  await control.deleteEvent(account, account, id);
  const stored = (await control.calendarState(account)).find((e) => e.id === id);
  return Date.parse(stored?.data.updated as string);
}

async function runTrials(
  world: BenchWorld,
  u: BenchUser,
  trials: number,
  timeoutMs: number,
  phaseJitterMs = 0,
): Promise<{ samples: number[]; incomplete: number }> {
  const targets = [u.main.googleCalendarId, ...u.clients.slice(1).map((c) => c.account)];
  const samples: number[] = [];
  let incomplete = 0;
  const state: { eventId?: string } = {};
  for (let i = 0; i < trials; i++) {
    // Polling: a random phase, else every change would land at the same point of the poll interval.
    if (phaseJitterMs) await sleep(Math.random() * phaseJitterMs);
    const t0 = await change(world, u, i, state);
    const done = await waitForWrites(world, t0, targets, timeoutMs);
    await settle(world, 1200, t0);
    if (done === null) {
      incomplete++;
      continue;
    }
    const last = lastWrites(await world.emulator.control.calls({ since: t0 }), targets);
    samples.push(Math.max(...last.values()) - t0);
  }
  return { samples, incomplete };
}

async function consultantWorld(
  emulator: EmulatorHandle,
  name: string,
  clients: number,
  env: Record<string, string>,
): Promise<{ world: BenchWorld; user: BenchUser }> {
  const world = await BenchWorld.start(emulator, env);
  const user = await world.addConsultant(name, clients);
  await world.watchAll(user);
  await world.sync.fullResync(user.user.id);
  await settle(world);
  return { world, user };
}

/** Change on one client -> last write on main and every other client, from the emulator's call log. */
export async function benchPropagation(emulator: EmulatorHandle, o: PropagationOptions): Promise<PropagationRow[]> {
  const rows: PropagationRow[] = [];
  const push = o.pushDelayMs ?? 0;
  await emulator.control.setPush({ dropShare: 0, delayMs: push });
  for (const clients of o.clientCounts) {
    const { world, user } = await consultantWorld(emulator, `prop${clients}`, clients, {});
    try {
      for (const latencyMs of o.latencies) {
        await emulator.control.setLatency(latencyMs);
        const { samples, incomplete } = await runTrials(world, user, o.trials, 30_000);
        rows.push({
          mode: 'webhooks',
          clients,
          latencyMs,
          pollSeconds: null,
          trials: samples.length,
          incomplete,
          medianMs: median(samples),
          p95Ms: percentile(samples, 95),
          floorMs: 2 * latencyMs + push,
        });
      }
    } finally {
      await emulator.control.setLatency(0);
      await world.close();
    }
  }
  for (const p of o.polling) {
    const { world, user } = await consultantWorld(emulator, `poll${p.clients}x${p.latencyMs}`, p.clients, {
      SYNC_POLL_SECONDS: String(o.pollSeconds),
      JOBS_ENABLED: 'true',
    });
    try {
      await emulator.control.setPush({ dropShare: 1, delayMs: push });
      await emulator.control.setLatency(p.latencyMs);
      const { samples, incomplete } = await runTrials(
        world,
        user,
        o.trials,
        4 * o.pollSeconds * 1000 + 30_000,
        o.pollSeconds * 1000,
      );
      rows.push({
        mode: 'polling',
        clients: p.clients,
        latencyMs: p.latencyMs,
        pollSeconds: o.pollSeconds,
        trials: samples.length,
        incomplete,
        medianMs: median(samples),
        p95Ms: percentile(samples, 95),
        floorMs: 2 * p.latencyMs,
      });
    } finally {
      await emulator.control.setPush({ dropShare: 0 });
      await emulator.control.setLatency(0);
      await world.close();
    }
  }
  return rows;
}
