import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { SessionService } from './session.service';
import { SignInFlow } from './sign-in-errors';

export const STATE_COOKIE = 'bb_oauth_state';
const TTL_MS = 10 * 60_000;
// Bounds memory if someone requests /auth/login in a loop (the throttler limits them too).
const MAX_PENDING = 5000;

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

interface Entry extends PendingSignIn {
  expiresAt: number;
}

/**
 * OAuth `state`: random, single use, short-lived, and bound to the browser that started the sign-in by
 * an HttpOnly cookie carrying the same value. A state replayed, forged, expired or presented by another
 * browser is refused.
 */
@Injectable()
export class OAuthStateStore {
  private readonly pending = new Map<string, Entry>();

  constructor(private readonly sessions: SessionService) {}

  create(reply: FastifyReply, request: FastifyRequest, info: PendingSignIn): string {
    this.sweep();
    const state = randomBytes(32).toString('base64url');
    this.pending.set(state, { ...info, expiresAt: Date.now() + TTL_MS });
    reply.setCookie(this.sessions.cookieName(STATE_COOKIE), state, this.cookieOptions(request, TTL_MS / 1000));
    return state;
  }

  /** The pending sign-in this callback claims to finish, without using it up (to pick its credentials). */
  peek(request: FastifyRequest, presented: unknown): PendingSignIn | null {
    const entry = this.match(request, presented);
    return entry ? { ...entry } : null;
  }

  /** Checks and uses up the state: a second use of the same value finds nothing. */
  consume(request: FastifyRequest, presented: unknown): PendingSignIn | null {
    const entry = this.match(request, presented);
    if (!entry) return null;
    this.pending.delete(presented as string);
    return entry;
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

  private match(request: FastifyRequest, presented: unknown): Entry | null {
    if (typeof presented !== 'string' || presented.length > 100) return null;
    const cookie = this.sessions.readCookie(request, STATE_COOKIE);
    if (!cookie) return null;
    const a = Buffer.from(cookie);
    const b = Buffer.from(presented);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    const entry = this.pending.get(presented);
    if (!entry || entry.expiresAt < Date.now()) return null;
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(state);
    // Oldest first (Map keeps insertion order).
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }
}
