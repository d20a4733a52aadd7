import { Controller, Get, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SessionService } from '../auth/session.service';
import { isSignInErrorCode, SIGN_IN_ERRORS } from '../auth/sign-in-errors';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { safeNext } from '../http/login-redirect';
import { PageRenderer } from './page-renderer';

/** The login page: Sign in with Google, the domain restriction, readable errors. */
@Controller('app')
export class LoginPageController {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly sessions: SessionService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('login')
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<unknown> {
    const organization = await this.organizations.find();
    if (!organization) return reply.redirect('/setup', 302);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const next = safeNext(typeof query.next === 'string' ? query.next : undefined);
    if (!query.error && (await this.sessions.resolve(request, reply))) return reply.redirect(next, 302);
    const domain = organization.googleWorkspaceDomain;
    let error: string | undefined;
    if (isSignInErrorCode(query.error)) {
      error =
        query.error === 'domain' || query.error === 'consumer'
          ? `${SIGN_IN_ERRORS[query.error]} Only @${domain} accounts can sign in.`
          : SIGN_IN_ERRORS[query.error];
    } else if (query.error !== undefined) {
      error = 'Sign-in failed. Please try again.';
    }
    return this.pages.render(request, reply, 'login', {
      title: 'Sign in',
      domain,
      error,
      signedOut: query.signedOut === '1',
      loginHref: `/auth/login?next=${encodeURIComponent(next)}`,
    });
  }
}
