import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { User } from '../database/entities';
import { LoginRedirect } from '../http/login-redirect';
import { matchedRoute } from '../http/matched-route';
import { SessionService, SessionUser } from './session.service';

const SESSION = Symbol('session');
type SignedInRequest = FastifyRequest & { user?: User; [SESSION]?: SessionUser };

/** The session the SessionGuard resolved for this request (its id binds connect flows to it). */
export function sessionOf(request: FastifyRequest): SessionUser | undefined {
  return (request as SignedInRequest)[SESSION];
}

/**
 * Resolves the session (server-checked version, sliding re-issue) and puts its user on the request.
 * Anonymous API calls get 401; anonymous page visits go to the login page.
 */
async function signedInUser(sessions: SessionService, context: ExecutionContext): Promise<User> {
  const http = context.switchToHttp();
  const request = http.getRequest<SignedInRequest>();
  const session = await sessions.resolve(request, http.getResponse<FastifyReply>());
  if (!session) {
    if (matchedRoute(request)?.startsWith('/api/')) throw new UnauthorizedException('Sign in required');
    throw new LoginRedirect(request.url);
  }
  request.user = session.user;
  request[SESSION] = session;
  return session.user;
}

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await signedInUser(this.sessions, context);
    return true;
  }
}

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!(await signedInUser(this.sessions, context)).isAdmin) throw new ForbiddenException('Administrators only');
    return true;
  }
}
