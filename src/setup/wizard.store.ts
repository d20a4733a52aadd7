import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { SmtpSecurity } from '../alerts/smtp-settings';
import { SessionService } from '../auth/session.service';
import { IdTokenClaims, OAuthCredentials } from '../google/google-oauth.service';

export const WIZARD_COOKIE = 'bb_setup';
const IDLE_MS = 2 * 3600_000;
const MAX_WIZARDS = 50;

/** The Google account that signed in at step 3, with its tokens (kept in memory only until step 5). */
export interface WizardAdmin {
  claims: IdTokenClaims;
  domain: string;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string;
}

export type SmtpChoice =
  | { enabled: false }
  | {
      enabled: true;
      host: string;
      port: number;
      username: string | null;
      password: string | null;
      security: SmtpSecurity;
      fromAddress: string;
      adminEmails: string[];
    };

/**
 * One visitor's progress through the wizard. It lives only in this process's memory, so a wizard
 * abandoned half-way (or a restart) leaves nothing behind: no rows, no key file.
 */
export interface WizardState {
  id: string;
  touchedAt: number;
  /** Step 1: this browser presented the setup token. */
  unlocked: boolean;
  /** Step 2: tested and accepted by Google. */
  credentials?: OAuthCredentials;
  /** The last Client ID typed, to refill the form after an error. */
  draftClientId?: string;
  admin?: WizardAdmin;
  adminConfirmed: boolean;
  smtp?: SmtpChoice;
  key?: Buffer;
  keyShown: boolean;
  /** A message for the next page view (after a form post was refused). */
  flash?: string;
}

@Injectable()
export class WizardStore {
  private readonly wizards = new Map<string, WizardState>();

  constructor(private readonly sessions: SessionService) {}

  /** This browser's wizard, or null. */
  find(request: FastifyRequest): WizardState | null {
    const id = this.sessions.readCookie(request, WIZARD_COOKIE);
    if (!id) return null;
    const state = this.wizards.get(id);
    if (!state || state.touchedAt + IDLE_MS < Date.now()) return null;
    state.touchedAt = Date.now();
    return state;
  }

  byId(id: string | undefined): WizardState | null {
    return id ? (this.wizards.get(id) ?? null) : null;
  }

  /** This browser's wizard, started (and its cookie set) if it has none. */
  open(request: FastifyRequest, reply: FastifyReply): WizardState {
    const existing = this.find(request);
    if (existing) return existing;
    this.sweep();
    const state: WizardState = {
      id: randomBytes(32).toString('base64url'),
      touchedAt: Date.now(),
      unlocked: false,
      adminConfirmed: false,
      keyShown: false,
    };
    this.wizards.set(state.id, state);
    const name = this.sessions.cookieName(WIZARD_COOKIE);
    reply.setCookie(name, state.id, this.sessions.cookieOptions(request, IDLE_MS / 1000));
    (request.cookies as Record<string, string>)[name] = state.id;
    return state;
  }

  /** Setup finished or factory reset: every wizard in progress is void. */
  clearAll(): void {
    for (const state of this.wizards.values()) state.key?.fill(0);
    this.wizards.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, state] of this.wizards) if (state.touchedAt + IDLE_MS < now) this.wizards.delete(id);
    while (this.wizards.size >= MAX_WIZARDS) this.wizards.delete(this.wizards.keys().next().value as string);
  }
}
