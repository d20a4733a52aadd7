import { FastifyRequest } from 'fastify';
import { info } from '../../fake-shared/request-info';
import type { Emulator } from '../emulator';
import { Graph, GraphError } from '../errors';
import { hasScope, Need } from '../identity/scopes';
import { AccessContext } from '../identity/token-store';
import { Caller } from './access';

export function bearer(req: FastifyRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function resolveToken(emu: Emulator, req: FastifyRequest): AccessContext {
  const token = bearer(req);
  if (!token) throw Graph.unauthenticated();
  const ctx = emu.tokens.resolve(token);
  if (ctx === 'expired') throw Graph.unauthenticated('Lifetime validation failed, the token is expired.');
  if (!ctx) throw Graph.unauthenticated('IDX14100: JWT is not well formed, there are no dots (.).');
  return ctx;
}

/** The caller and the mailbox a `/me/...` or `/users/{id|upn}/...` path names, with the scope the call needs. */
export function callerFor(emu: Emulator, req: FastifyRequest, need: Need): Caller {
  const ctx = resolveToken(emu, req);
  info(req).account = ctx.user.userPrincipalName;
  if (!hasScope(need, ctx.scopes)) throw Graph.accessDenied();
  const userParam = (req.params as { user?: string }).user;
  const mailbox = userParam === undefined ? ctx.user : emu.world.userByLogin(decodeURIComponent(userParam));
  if (!mailbox) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userParam}' is invalid.`);
  if (mailbox.onPremisesMailbox)
    throw new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    );
  return { user: ctx.user, mailbox, clientId: ctx.clientId, scopes: ctx.scopes };
}
