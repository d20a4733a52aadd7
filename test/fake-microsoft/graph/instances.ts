import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { occurrenceId } from '../ids';
import { StoredEvent } from '../model';
import { World } from '../world';
import { seriesStarts } from './recurrence';

/** Half-open overlap; a zero-length item counts when it starts inside the window. */
export function overlaps(ev: { startMs: number; endMs: number }, fromMs: number, toMs: number): boolean {
  if (ev.endMs === ev.startMs) return ev.startMs >= fromMs && ev.startMs < toMs;
  return ev.startMs < toMs && ev.endMs > fromMs;
}

/** An occurrence is not stored: it is the master seen at one original start, with its own ids. */
export function virtualOccurrence(world: World, master: StoredEvent, originalStartMs: number): StoredEvent {
  const id = occurrenceId(master.id, originalStartMs);
  const immutableId = occurrenceId(master.immutableId, originalStartMs, true);
  world.occurrences.set(id, { masterId: master.id, originalStartMs });
  world.occurrences.set(immutableId, { masterId: master.id, originalStartMs });
  const key = createHash('sha1').update(`${master.changeKey}|${originalStartMs}`).digest('base64').slice(0, 24);
  return {
    ...master,
    id,
    immutableId,
    type: 'occurrence',
    // Each occurrence has its own iCalUId (EVENT), unlike Google's shared iCalUID.
    iCalUId: `${master.iCalUId.slice(0, 40)}${createHash('sha1').update(`${master.iCalUId}|${originalStartMs}`).digest('hex').toUpperCase()}`,
    changeKey: `${key}AAA==`,
    startMs: originalStartMs,
    endMs: originalStartMs + (master.endMs - master.startMs),
    recurrence: undefined,
    seriesMasterId: master.id,
    originalStartMs,
    cancelledOccurrences: undefined,
  };
}

export function exceptionsOf(world: World, master: StoredEvent): StoredEvent[] {
  return [...world.events.values()].filter((e) => e.type === 'exception' && e.seriesMasterId === master.id);
}

/** Occurrences and exceptions of a series that overlap [fromMs, toMs), in start order. */
export function instancesOf(world: World, master: StoredEvent, fromMs: number, toMs: number): StoredEvent[] {
  const duration = master.endMs - master.startMs;
  const exceptions = exceptionsOf(world, master);
  const replaced = new Set(exceptions.map((e) => e.originalStartMs));
  const first = DateTime.fromMillis(master.startMs, { zone: master.zone });
  const occurrences = seriesStarts(master.recurrence!, first, fromMs - duration, toMs)
    .filter((ms) => !replaced.has(ms) && !master.cancelledOccurrences?.has(ms))
    .map((ms) => virtualOccurrence(world, master, ms))
    .filter((o) => overlaps(o, fromMs, toMs));
  return [...occurrences, ...exceptions.filter((e) => overlaps(e, fromMs, toMs))].sort((a, b) => a.startMs - b.startMs);
}

/** What calendarView shows: single events, occurrences and exceptions overlapping the window (no masters). */
export function viewOf(world: World, calendarId: string, fromMs: number, toMs: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (const ev of world.eventsOf(calendarId)) {
    if (ev.type === 'singleInstance' && overlaps(ev, fromMs, toMs)) out.push(ev);
    if (ev.type === 'seriesMaster') out.push(...instancesOf(world, ev, fromMs, toMs));
  }
  return out;
}

/** The stored item or the occurrence an id names (REST or immutable id). */
export function findById(world: World, id: string): StoredEvent | undefined {
  const stored = world.events.get(id) ?? [...world.events.values()].find((e) => e.immutableId === id);
  if (stored) return stored;
  const occ = world.occurrences.get(id);
  const master = occ && world.events.get(occ.masterId);
  if (!occ || !master || master.cancelledOccurrences?.has(occ.originalStartMs)) return undefined;
  if (exceptionsOf(world, master).some((e) => e.originalStartMs === occ.originalStartMs)) return undefined;
  return virtualOccurrence(world, master, occ.originalStartMs);
}
