/**
 * Graph throttles per app and mailbox: more than 4 concurrent requests answer 503 MailboxConcurrency, a
 * spent budget answers 429, both with Retry-After. One pacer per mailbox keeps at most 4 requests in flight and
 * holds every request of the mailbox while a Retry-After runs, so one throttled call slows its mailbox only.
 */
export class MailboxPacer {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;

  constructor(
    private readonly maxConcurrent = 4,
    private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.()),
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      const pause = this.pausedUntil - Date.now();
      if (pause > 0) await this.sleep(pause);
      return await work();
    } finally {
      this.release();
    }
  }

  /** Microsoft said Retry-After: nobody of this mailbox sends before it has passed. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  get inFlight(): number {
    return this.active;
  }

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => (this.active++, resolve())));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** One pacer per mailbox for the whole process (every client of an account shares it). */
const pacers = new Map<string, MailboxPacer>();

export function pacerFor(mailbox: string): MailboxPacer {
  let pacer = pacers.get(mailbox);
  if (!pacer) pacers.set(mailbox, (pacer = new MailboxPacer()));
  return pacer;
}
