import { AimdOptions, AimdPace, realSleep } from './aimd-pace';

/**
 * Per calendar: starts at 10 writes a second (inside Google's observed limits), climbs by one a second per
 * second while Google accepts, is cut by 30 % on each rate-limit answer. Google refuses "writing to a single
 * calendar in quick succession" without saying how quick; a large connect thus runs near whatever it enforces.
 */
export const CALENDAR_WRITE_PACE: AimdOptions = {
  initialPerSecond: 10,
  minPerSecond: 0.5,
  maxPerSecond: 50,
  increasePerSecond: 1,
  decrease: 0.7,
};
/** A calendar idle this long forgets its learned pace (keeps the map bounded over weeks of uptime). */
const FORGET_IDLE_MS = 10 * 60_000;

/**
 * Spaces writes to one calendar by what Google answers (AimdPace); writes to different calendars do not
 * wait for each other.
 */
export class WritePacer {
  private readonly calendars = new Map<string, { pace: AimdPace; lastUsed: number }>();
  private sweptAt = 0;

  constructor(
    private readonly options: AimdOptions = CALENDAR_WRITE_PACE,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {}

  async beforeWrite(calendarId: string): Promise<void> {
    const now = this.now();
    const entry = this.entry(calendarId, now);
    const slot = entry.pace.reserve(now);
    if (slot > now) await this.sleep(slot - now);
  }

  /** Google took a write to this calendar. */
  accepted(calendarId: string): void {
    this.calendars.get(calendarId)?.pace.accepted();
  }

  /** Google refused a write to this calendar for its rate (Retry-After, when it sent one). */
  rateLimited(calendarId: string, retryAfterMs?: number): void {
    const now = this.now();
    this.entry(calendarId, now).pace.refused(now, retryAfterMs);
  }

  /** The pace this calendar's writes go at now (writes per second). */
  perSecond(calendarId: string): number {
    return this.calendars.get(calendarId)?.pace.perSecond ?? this.options.initialPerSecond;
  }

  get size(): number {
    return this.calendars.size;
  }

  private entry(calendarId: string, now: number): { pace: AimdPace; lastUsed: number } {
    let entry = this.calendars.get(calendarId);
    if (!entry) {
      if (this.calendars.size >= 10_000 && now - this.sweptAt > 60_000) this.forgetIdle(now);
      entry = { pace: new AimdPace(this.options), lastUsed: now };
      this.calendars.set(calendarId, entry);
    }
    entry.lastUsed = now;
    return entry;
  }

  private forgetIdle(now: number): void {
    this.sweptAt = now;
    for (const [id, e] of this.calendars)
      if (now - e.lastUsed > FORGET_IDLE_MS && e.pace.idleSince(now)) this.calendars.delete(id);
  }
}
