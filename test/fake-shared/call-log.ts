export interface CallRecord {
  /** Emulator clock, ms. */
  time: number;
  /** Operation, e.g. `events.list`, `events.insert`, `token`, `authorize`. */
  kind: string;
  method: string;
  path: string;
  calendarId?: string;
  eventId?: string;
  status: number;
  /** Email of the account whose token made the call, when known. */
  account?: string;
  /** An injected fault answered instead of the emulator. */
  faulted?: boolean;
}

export interface CallFilter {
  kind?: string;
  calendarId?: string;
  account?: string;
  status?: number;
  /** Only calls at or after this emulator time (ms). */
  since?: number;
}

export class CallLog {
  private records: CallRecord[] = [];

  add(r: CallRecord): void {
    this.records.push(r);
    // Bounded so a long benchmark cannot exhaust memory.
    if (this.records.length > 200_000) this.records.splice(0, 100_000);
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (filter.kind === undefined || r.kind === filter.kind) &&
        (filter.calendarId === undefined || r.calendarId === filter.calendarId) &&
        (filter.account === undefined || r.account === filter.account) &&
        (filter.status === undefined || r.status === filter.status) &&
        (filter.since === undefined || r.time >= filter.since),
    );
  }

  /** Counts per kind, e.g. `{ 'events.list': 3, 'events.insert': 1 }`. */
  counts(filter: CallFilter = {}): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.list(filter)) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  clear(): void {
    this.records = [];
  }
}
