export type PropagationTrigger = 'webhook' | 'poll';

/**
 * When a change was first noticed, per calendar: set by the first webhook or poll that asks for a sync
 * and not moved by the ones that follow before that sync starts (they announce the same changes).
 * The sync that starts takes it; a notice arriving while it runs starts the clock for the next one.
 */
export class PropagationClock {
  private readonly seen = new Map<number, { at: number; trigger: PropagationTrigger }>();

  noticed(calendarId: number, trigger: PropagationTrigger, at = Date.now()): void {
    if (!this.seen.has(calendarId)) this.seen.set(calendarId, { at, trigger });
  }

  take(calendarId: number): { at: number; trigger: PropagationTrigger } | undefined {
    const first = this.seen.get(calendarId);
    this.seen.delete(calendarId);
    return first;
  }
}
