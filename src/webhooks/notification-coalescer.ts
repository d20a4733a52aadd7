/**
 * Google sends one notification per change, often dozens in a burst. The first one triggers at once;
 * the rest of the window collapse into one trailing trigger, so the last change is never missed.
 */
export class NotificationCoalescer {
  private readonly windows = new Map<number, { timer: NodeJS.Timeout; trailing: boolean }>();

  constructor(
    private readonly windowMs: number,
    private readonly trigger: (calendarId: number) => void,
  ) {}

  /** Returns whether this notification triggered a sync now (false: folded into the window). */
  notify(calendarId: number): boolean {
    const open = this.windows.get(calendarId);
    if (open) {
      open.trailing = true;
      return false;
    }
    this.trigger(calendarId);
    this.open(calendarId);
    return true;
  }

  close(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private open(calendarId: number): void {
    const timer = setTimeout(() => {
      const window = this.windows.get(calendarId);
      this.windows.delete(calendarId);
      if (window?.trailing) {
        this.trigger(calendarId);
        this.open(calendarId);
      }
    }, this.windowMs);
    timer.unref();
    this.windows.set(calendarId, { timer, trailing: false });
  }
}
