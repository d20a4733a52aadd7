import type { CallRecord } from '../../test/fake-google';
import { BenchWorld } from './bench-world';
import { sleep } from './stats';

export const WRITE_KINDS = new Set(['events.insert', 'events.update', 'events.patch', 'events.delete']);

/**
 * Waits until the product has nothing queued and the emulator saw no call for `quietMs` (longer than the
 * webhook coalescing window, so a trailing trigger has had its chance), counting only from `since`: a
 * person's change is no API call, so quiet before its push arrives proves nothing. Emulator timestamps.
 */
export async function settle(
  world: BenchWorld,
  quietMs = 1200,
  since = Date.now(),
  timeoutMs = 600_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await world.sync.onIdle();
    const windowStart = Date.now() - quietMs;
    if (windowStart >= since && (await world.emulator.control.calls({ since: windowStart })).length === 0) {
      await world.sync.onIdle();
      return;
    }
    if (Date.now() > deadline) throw new Error('the product did not settle');
    await sleep(Math.min(200, quietMs / 4));
  }
}

/**
 * Polls the emulator's call log until every target calendar has had a successful write since `since`;
 * resolves with the emulator time of the last of those first writes, null on timeout. Asks per target
 * calendar, so a busy emulator (a poll cycle over thousands of calendars) does not ship its whole log.
 */
export async function waitForWrites(
  world: BenchWorld,
  since: number,
  targets: string[],
  timeoutMs: number,
): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  const first = new Map<string, number>();
  while (Date.now() < deadline) {
    for (const target of targets.filter((t) => !first.has(t))) {
      const written = (await world.emulator.control.calls({ since, calendarId: target })).find(
        (c) => WRITE_KINDS.has(c.kind) && c.status < 300,
      );
      if (written) first.set(target, written.time);
    }
    if (first.size === targets.length) return Math.max(...first.values());
    await sleep(25); // detection only: the figure comes from the emulator's timestamps
  }
  return null;
}

/** Calls by kind (events.list, events.insert, ...) and how many were refused (rate limit, errors). */
export function countByKind(calls: CallRecord[]): { byKind: Record<string, number>; failed: number } {
  const byKind: Record<string, number> = {};
  let failed = 0;
  for (const c of calls) {
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    if (c.status >= 400 || c.status === 0) failed++;
  }
  return { byKind, failed };
}

/** Emulator time of the last successful write on each target since `since` (undefined where none). */
export function lastWrites(calls: CallRecord[], targets: string[]): Map<string, number> {
  const last = new Map<string, number>();
  for (const c of calls) {
    if (!WRITE_KINDS.has(c.kind) || c.status >= 300 || !c.calendarId || !targets.includes(c.calendarId)) continue;
    last.set(c.calendarId, Math.max(last.get(c.calendarId) ?? 0, c.time));
  }
  return last;
}
