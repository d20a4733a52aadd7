import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ConnectedType } from './calendar-view';

export interface ConnectState {
  userId: number;
  sessionVersion: number;
  /** The session that started the flow: only its own browser may finish it. */
  sessionId: string;
  type: ConnectedType;
  /** OIDC nonce: the ID token must carry it, so a code from another flow is useless here. */
  nonce: string;
  loginHint?: string;
  /** Set on the second pass of a reconnect whose old grant was revoked (see ConnectFlowService). */
  retiredTokenId?: number;
  expiresAt: number;
}

export const STATE_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/**
 * Pending connect flows, kept server-side: the `state` sent to Google is only a random handle. A state is
 * taken out on first presentation (single use, whatever the outcome) and expires after ten minutes.
 * In memory on purpose: a restart only cancels flows in progress, and nothing sensitive reaches the disk.
 */
@Injectable()
export class ConnectStateStore {
  private readonly pending = new Map<string, ConnectState>();

  issue(state: Omit<ConnectState, 'expiresAt' | 'nonce'>, now = Date.now()): { state: string; nonce: string } {
    this.sweep(now);
    const handle = randomBytes(32).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    this.pending.set(handle, { ...state, nonce, expiresAt: now + STATE_TTL_MS });
    return { state: handle, nonce };
  }

  take(handle: string | undefined, now = Date.now()): ConnectState | null {
    if (!handle || handle.length > 128) return null;
    const found = this.pending.get(handle);
    if (!found) return null;
    this.pending.delete(handle);
    return found.expiresAt > now ? found : null;
  }

  private sweep(now: number): void {
    for (const [handle, s] of this.pending) if (s.expiresAt <= now) this.pending.delete(handle);
    // A flood of abandoned flows must not grow memory without bound: drop the oldest.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }
}
