/**
 * Spaces writes to one calendar so a large initial sync stays inside Google's per-calendar write
 * limits ("you may be rate limited ... writing to a single calendar in quick succession"). Calls for
 * different calendars do not wait for each other.
 */
export class WritePacer {
  private readonly nextSlot = new Map<string, number>();

  constructor(private readonly minIntervalMs: number, private readonly now: () => number = Date.now) {}

  async beforeWrite(calendarId: string): Promise<void> {
    if (this.minIntervalMs <= 0) return;
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(calendarId) ?? 0);
    this.nextSlot.set(calendarId, slot + this.minIntervalMs);
    if (this.nextSlot.size > 10_000) this.forgetIdle(now);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }

  /** Keeps the map bounded over weeks of uptime. */
  private forgetIdle(now: number): void {
    for (const [id, next] of this.nextSlot) if (next < now) this.nextSlot.delete(id);
  }
}
