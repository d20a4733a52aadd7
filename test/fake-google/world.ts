import { createHash } from 'node:crypto';
import { Clock } from '../fake-shared/clock';
import { SeededRandom } from '../fake-shared/random';
import { Account, Calendar, DEFAULT_OPTIONS, EmulatorOptions, OAuthClientRecord, Role } from './model';

export type ChangeListener = (calendarId: string) => void;

/** All mutable emulator state that is not OAuth tokens or channels. One instance per emulator. */
export class World {
  readonly clock = new Clock();
  readonly random = new SeededRandom(1);
  options: EmulatorOptions = { ...DEFAULT_OPTIONS };
  accounts = new Map<string, Account>();
  clients = new Map<string, OAuthClientRecord>();
  calendars = new Map<string, Calendar>();
  domains = new Set<string>();
  private seq = 0;
  private listeners: ChangeListener[] = [];

  reset(): void {
    this.options = { ...DEFAULT_OPTIONS };
    this.accounts.clear();
    this.clients.clear();
    this.calendars.clear();
    this.domains.clear();
    this.clock.reset();
    this.random.reseed(1);
    // seq is never rewound: a sync token from before a reset must not look valid afterwards.
  }

  /** Monotonic change cursor shared by etags and sync tokens. */
  nextSeq(): number {
    return ++this.seq;
  }

  currentSeq(): number {
    return this.seq;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  emitChange(calendarId: string): void {
    for (const l of this.listeners) l(calendarId);
  }

  account(email: string): Account | undefined {
    return this.accounts.get(email.toLowerCase());
  }

  accountBySubOrEmail(hint: string): Account | undefined {
    return this.account(hint) ?? [...this.accounts.values()].find((a) => a.sub === hint);
  }

  calendar(id: string): Calendar | undefined {
    return this.calendars.get(id.toLowerCase()) ?? this.calendars.get(id);
  }

  addCalendar(input: {
    id: string;
    summary?: string;
    description?: string;
    timeZone?: string;
    primaryOf?: string;
    dataOwner?: string;
    acl?: Record<string, Role>;
  }): Calendar {
    const id = input.primaryOf ? input.primaryOf.toLowerCase() : input.id;
    const cal: Calendar = {
      id,
      summary: input.summary ?? id,
      description: input.description,
      timeZone: input.timeZone ?? 'UTC',
      primaryOf: input.primaryOf?.toLowerCase(),
      dataOwner: input.dataOwner?.toLowerCase(),
      acl: new Map(Object.entries(input.acl ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      events: new Map(),
      syncEpoch: 1,
      purgedSeq: 0,
      resourceId: createHash('sha1').update(`resource:${id}`).digest('base64url').slice(0, 27),
    };
    this.calendars.set(id, cal);
    return cal;
  }
}
