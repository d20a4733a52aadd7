import { AimdOptions, AimdPace, realSleep } from './aimd-pace';

/**
 * A slowed-down account climbs back by one call a second per second, and is cut by 30 % per rate-limit answer,
 * never below one call a second (with each refused call's own backoff on top).
 */
export const ACCOUNT_PACE: AimdOptions = {
  initialPerSecond: 10,
  minPerSecond: 1,
  maxPerSecond: 1000,
  increasePerSecond: 1,
  decrease: 0.7,
};
/** An account that has had no rate-limit answer for this long goes back to unpaced (a storm comes in waves). */
export const CALM_AFTER_MS = 60_000;
/** Accounts whose call count is kept (for the rate a cut starts from) are forgotten after this long unused. */
const FORGET_AFTER_MS = 10 * 60_000;

interface AccountState {
  /** Calls sent in the current and the previous whole second: the account's recent rate. */
  second: number;
  count: number;
  previousCount: number;
  /** Set while Google is slowing this account down. */
  pace: AimdPace | null;
  calmAt: number;
}

/**
 * Google's rate limits are per user (account) and project, but withRetry only delays the one call that was
 * refused: the calls after it, and other calendars of the same account, would go out at full speed into the
 * same storm. An account Google has not slowed down calls at full speed. After a rate-limit answer its calls
 * are paced (AimdPace) from 70 % of the rate it was sending at, held for Retry-After, and climb back while
 * Google accepts them; once it has been calm a while the pace is dropped.
 */
export class RateLimitGate {
  private readonly accounts = new Map<string, AccountState>();
  private paced = 0;
  private sweptAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
    private readonly options: AimdOptions = ACCOUNT_PACE,
  ) {}

  /** Waits for this account's turn; at once for an account Google has not slowed down. */
  async beforeCall(account: string): Promise<void> {
    const now = this.now();
    const state = this.state(account, now);
    const second = Math.floor(now / 1000);
    if (second !== state.second) {
      state.previousCount = second === state.second + 1 ? state.count : 0;
      state.count = 0;
      state.second = second;
    }
    state.count++;
    if (!state.pace) return;
    // Calm alone releases (never before a Retry-After hold is over: calmAt is at least that late).
    if (now >= state.calmAt) {
      state.pace = null;
      this.paced--;
      return;
    }
    const slot = state.pace.reserve(now);
    if (slot > now) await this.sleep(slot - now);
  }

  accepted(account: string): void {
    this.accounts.get(account)?.pace?.accepted();
  }

  /** Google answered this account 429 / 403 rateLimitExceeded (with Retry-After, if it sent one). */
  rateLimited(account: string, retryAfterMs?: number): void {
    const now = this.now();
    const state = this.state(account, now);
    if (!state.pace) {
      // Start from what the account was really sending (calls in the last second), cut like any other answer.
      const recent = Math.max(state.count, state.previousCount, 1);
      state.pace = new AimdPace(this.options, recent);
      this.paced++;
    }
    state.pace.refused(now, retryAfterMs);
    state.calmAt = Math.max(state.calmAt, now + CALM_AFTER_MS, now + (retryAfterMs ?? 0));
  }

  /** The pace of a slowed-down account (calls per second); null when it calls at full speed. */
  perSecond(account: string): number | null {
    return this.accounts.get(account)?.pace?.perSecond ?? null;
  }

  /** Accounts currently held back (for tests and the bounded-memory soak). */
  get size(): number {
    return this.paced;
  }

  private state(account: string, now: number): AccountState {
    let state = this.accounts.get(account);
    if (!state) {
      if (this.accounts.size >= 10_000 && now - this.sweptAt > 60_000) this.forgetUnused(now);
      state = { second: Math.floor(now / 1000), count: 0, previousCount: 0, pace: null, calmAt: 0 };
      this.accounts.set(account, state);
    }
    return state;
  }

  private forgetUnused(now: number): void {
    this.sweptAt = now;
    const cutoff = Math.floor((now - FORGET_AFTER_MS) / 1000);
    for (const [account, s] of this.accounts) if (!s.pace && s.second < cutoff) this.accounts.delete(account);
  }
}
