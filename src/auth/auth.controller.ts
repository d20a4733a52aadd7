import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { wantsJson } from '../ui/page-renderer';
import { GoogleSignInGuard } from './google-sign-in.guard';
import { SignInOutcome } from './google-sign-in.strategy';
import { HomeAccountService } from './home-account.service';
import { OAuthStateStore } from './oauth-state.store';
import { SessionService } from './session.service';
import { SignInError } from './sign-in-errors';
import { GoToSetup, SignInService } from './sign-in.service';

type OutcomeRequest = FastifyRequest & { user?: SignInOutcome };

/** A refused sign-in lands on the login page (or the wizard's step 3) with a readable error code. */
@Catch()
export class SignInErrorFilter implements ExceptionFilter {
  private readonly fallback = new ApiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof GoToSetup) {
      reply.redirect('/setup', 302);
      return;
    }
    if (!(exception instanceof SignInError)) return this.fallback.catch(exception, host);
    const target = exception.flow === 'setup' ? '/setup/step/3' : '/app/login';
    reply.redirect(`${target}?error=${encodeURIComponent(exception.code)}`, 302);
  }
}

@Controller('auth')
@UseFilters(SignInErrorFilter)
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: HomeAccountService,
    private readonly sessions: SessionService,
    private readonly states: OAuthStateStore,
  ) {}

  /** 302 to Google (docs/api.md, "Auth"). */
  @Get('login')
  @UseGuards(GoogleSignInGuard)
  login(@Req() request: OutcomeRequest, @Res() reply: FastifyReply): void {
    const outcome = request.user;
    if (outcome?.kind !== 'redirect') throw new SignInError('google', 'home', 'no authorization URL');
    reply.redirect(outcome.url, 302);
  }

  @Get('callback')
  @UseGuards(GoogleSignInGuard)
  async callback(@Req() request: OutcomeRequest, @Res() reply: FastifyReply): Promise<void> {
    const outcome = request.user;
    this.states.clearCookie(reply, request);
    if (outcome?.kind !== 'verified') throw new SignInError('state', 'home');
    const next =
      outcome.pending.flow === 'setup'
        ? this.signIn.completeSetup(outcome, request)
        : await this.accounts.complete(outcome, request, reply);
    reply.redirect(next, 302);
  }

  /** Ends the session here and server-side (session_version), so a copied cookie stops working too. */
  @Post('logout')
  @HttpCode(200)
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = await this.sessions.resolve(request);
    if (session) await this.sessions.revokeAll(session.user.id);
    this.sessions.clear(reply, request);
    if (wantsJson(request)) {
      reply.send({ ok: true });
      return;
    }
    reply.redirect('/app/login?signedOut=1', 303);
  }
}
