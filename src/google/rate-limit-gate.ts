/** Once told to slow down, an account sends at most one call this often... */
export const SLOW_SPACING_MS = 1000;
/** ...until this long after the last rate-limit answer (a storm comes in waves; hurrying back invites the next). */
export const CALM_AFTER_MS = 60_000;

interface AccountState {
  /** Earliest moment the account's next call may go out. */
  nextAt: number;
  slowUntil: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Google's rate limits are per user (account) and project, but withRetry only delays the one call that was
 * refused: the calls after it, and other calendars of the same account, would go out at full speed into the
 * same storm. After a rate-limit answer this gate holds every call of that account until Retry-After (at
 * least a second) has passed, then lets them through one a second until the account has been calm a while.
 */
export class RateLimitGate {
  private readonly accounts = new Map<string, AccountState>();

  constructor(private readonly now: () => number = Date.now, private readonly sleep: (ms: number) => Promise<void> = realSleep) {}

  /** Waits for this account's turn; at once for an account Google has not slowed down. */
  async beforeCall(account: string): Promise<void> {
    const state = this.accounts.get(account);
    if (!state) return;
    const now = this.now();
    // Calm alone releases: a busy account always has its next slot reserved ahead, so also waiting for that
    // slot held it at one call a second for as long as it stayed busy (bench: a 2,000-event connect).
    if (now >= state.slowUntil) {
      this.accounts.delete(account); // calm again; keeps the map to the accounts in trouble
      return;
    }
    // Reserve a slot before sleeping, so concurrent callers line up a second apart instead of waking together.
    const slot = Math.max(now, state.nextAt);
    state.nextAt = slot + SLOW_SPACING_MS;
    if (slot > now) await this.sleep(slot - now);
  }

  /** Google answered this account 429 / 403 rateLimitExceeded (with Retry-After, if it sent one). */
  rateLimited(account: string, retryAfterMs?: number): void {
    const now = this.now();
    const state = this.accounts.get(account) ?? { nextAt: now, slowUntil: now };
    state.nextAt = Math.max(state.nextAt, now + Math.max(retryAfterMs ?? 0, SLOW_SPACING_MS));
    // Never calm before the hold is over, so releasing on calm still honours a long Retry-After.
    state.slowUntil = Math.max(state.slowUntil, now + CALM_AFTER_MS, state.nextAt);
    this.accounts.set(account, state);
  }

  /** Accounts currently held back (for tests and the bounded-memory soak). */
  get size(): number {
    return this.accounts.size;
  }
}
