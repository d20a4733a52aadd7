import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { User } from '../database/entities';
import { LoginRedirect } from '../http/login-redirect';
import { SessionService } from './session.service';

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: User }>();
    const session = await this.sessions.resolve(request, http.getResponse<FastifyReply>());
    if (!session) {
      if (isApi(request)) throw new UnauthorizedException('Sign in required');
      throw new LoginRedirect(request.url);
    }
    request.user = session.user;
    return true;
  }
}

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: User }>();
    const session = await this.sessions.resolve(request, http.getResponse<FastifyReply>());
    if (!session) {
      if (isApi(request)) throw new UnauthorizedException('Sign in required');
      throw new LoginRedirect(request.url);
    }
    if (!session.user.isAdmin) throw new ForbiddenException('Administrators only');
    request.user = session.user;
    return true;
  }
}
