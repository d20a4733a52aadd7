import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SessionService } from './session.service';
import { SignInFlow } from './sign-in-errors';

export const STATE_COOKIE = 'bb_oauth_state';
const TTL_MS = 10 * 60_000;
// Bounds memory if someone starts flows in a loop (the throttler limits them too): the oldest go first.
const MAX_PENDING = 10_000;

/** What a sign-in started with, recovered at the callback. */
export interface PendingSignIn {
  flow: SignInFlow;
  /** Setup flow: the wizard this sign-in belongs to. */
  wizardId?: string;
  /** Home flow: where to go afterwards (already checked by safeNext). */
  next?: string;
  /** Home flow: this sign-in already asked Google for consent again (no second retry). */
  consented?: boolean;
  /** PKCE code verifier, sent with the code exchange. */
  codeVerifier?: string;
}

/** What a connect flow (a client or personal account) started with; the caller checks it against the session. */
export interface PendingConnect {
  userId: number;
  sessionVersion: number;
  /** The session that started the flow: only its own browser may finish it. */
  sessionId: string;
  type: 'client' | 'personal';
  /** OIDC nonce: the ID token must carry it, so a code from another flow is useless here. */
  nonce: string;
  loginHint?: string;
  /** Set on the second pass of a reconnect whose old grant was revoked. */
  retiredTokenId?: number;
}

type Entry = ({ kind: 'sign-in' } & PendingSignIn) | ({ kind: 'connect' } & PendingConnect);

/**
 * Every OAuth `state` BusyBridge sends to Google: a random handle to what the flow started with, kept
 * server-side, single use and short-lived. A sign-in has no session yet, so its state is also bound to the
 * browser by an HttpOnly cookie carrying the same value; a connect flow is bound to the session that started
 * it. A state replayed, forged, expired, of the other kind or presented by another browser is refused.
 * In memory on purpose: a restart only cancels flows in progress, and nothing sensitive reaches the disk.
 */
@Injectable()
export class OAuthStateStore {
  private readonly pending = new Map<string, Entry & { expiresAt: number }>();

  constructor(private readonly sessions: SessionService) {}

  create(reply: FastifyReply, request: FastifyRequest, info: PendingSignIn): string {
    const state = this.put({ kind: 'sign-in', ...info });
    reply.setCookie(this.sessions.cookieName(STATE_COOKIE), state, this.cookieOptions(request, TTL_MS / 1000));
    return state;
  }

  /** The pending sign-in this callback claims to finish, without using it up (to pick its credentials). */
  peek(request: FastifyRequest, presented: unknown): PendingSignIn | null {
    const entry = this.match(request, presented);
    return entry ? withoutKind(entry) : null;
  }

  /** Checks and uses up the state: a second use of the same value finds nothing. */
  consume(request: FastifyRequest, presented: unknown): PendingSignIn | null {
    const entry = this.match(request, presented);
    if (!entry) return null;
    this.pending.delete(presented as string);
    return withoutKind(entry);
  }

  /** A connect flow's state and the nonce its ID token must carry. */
  issueConnect(info: Omit<PendingConnect, 'nonce'>): { state: string; nonce: string } {
    const nonce = randomBytes(16).toString('base64url');
    return { state: this.put({ kind: 'connect', ...info, nonce }), nonce };
  }

  /** Takes the connect state out on first presentation, whatever the outcome; null when unknown or expired. */
  takeConnect(presented: string | undefined): PendingConnect | null {
    if (!presented || presented.length > 100) return null;
    const entry = this.pending.get(presented);
    if (!entry || entry.kind !== 'connect') return null;
    this.pending.delete(presented);
    if (entry.expiresAt < Date.now()) return null;
    const { kind: _kind, expiresAt: _expiresAt, ...info } = entry;
    return info;
  }

  clearCookie(reply: FastifyReply, request: FastifyRequest): void {
    reply.clearCookie(this.sessions.cookieName(STATE_COOKIE), this.cookieOptions(request, 0));
  }

  /** Path-limited to /auth so it travels only to the callback (and login, which replaces it); `__Host-` needs `/`. */
  private cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
    return { ...this.sessions.cookieOptions(request, maxAgeSeconds), path: this.sessions.hostOnly() ? '/' : '/auth' };
  }

  forgetAll(): void {
    this.pending.clear();
  }

  private put(entry: Entry): string {
    this.sweep();
    const state = randomBytes(32).toString('base64url');
    this.pending.set(state, { ...entry, expiresAt: Date.now() + TTL_MS });
    return state;
  }

  private match(request: FastifyRequest, presented: unknown): (PendingSignIn & { kind: 'sign-in' }) | null {
    if (typeof presented !== 'string' || presented.length > 100) return null;
    const cookie = this.sessions.readCookie(request, STATE_COOKIE);
    if (!cookie) return null;
    const a = Buffer.from(cookie);
    const b = Buffer.from(presented);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    const entry = this.pending.get(presented);
    if (!entry || entry.kind !== 'sign-in' || entry.expiresAt < Date.now()) return null;
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(state);
    // Oldest first (Map keeps insertion order).
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }
}

function withoutKind(entry: PendingSignIn & { kind: 'sign-in'; expiresAt?: number }): PendingSignIn {
  const { kind: _kind, expiresAt: _expiresAt, ...info } = entry;
  return info;
}
