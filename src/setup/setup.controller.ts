import {
  ArgumentsHost,
  BadRequestException,
  Body,
  CanActivate,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  HttpException,
  Injectable,
  Param,
  ParseIntPipe,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SessionService } from '../auth/session.service';
import { ApiExceptionFilter, toResponse } from '../http/api-exception.filter';
import { matchedRoute } from '../http/matched-route';
import { isHtmx, wantsJson } from '../ui/page-renderer';
import { SetupPages } from './setup-pages';
import { ConfirmDto, CredentialsDto, SavedKeyDto, SmtpDto } from './setup.dto';
import { SetupTokenRefusal, SetupTokenService } from './setup-token.service';
import { SetupService } from './setup.service';
import { WizardStepsService } from './wizard-steps.service';
import { WizardStore } from './wizard.store';

@Injectable()
export class SetupOpenGuard implements CanActivate {
  constructor(private readonly steps: WizardStepsService) {}

  async canActivate(): Promise<boolean> {
    await this.steps.ensureOpen();
    return true;
  }
}

/**
 * A refused form post (no JavaScript) comes back to its step with the message shown there
 * (post/redirect/get); scripts and htmx get the API's `{"error"}` with the status.
 */
@Catch()
@Injectable()
export class SetupErrorFilter implements ExceptionFilter {
  private readonly fallback = new ApiExceptionFilter();

  constructor(private readonly wizards: WizardStore) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const step = /^\/setup\/step\/([1-5])(?:\/|$)/.exec(matchedRoute(request) ?? '')?.[1];
    const { status, body } = toResponse(exception);
    const wizard = this.wizards.find(request);
    // A wrong setup token or the lockout is shown on the welcome page too; a CSRF refusal stays a plain 403.
    const shown = status === 400 || status === 409 || exception instanceof SetupTokenRefusal;
    if (request.method === 'POST' && step && wizard && shown && !wantsJson(request) && !isHtmx(request)) {
      wizard.flash = body.error;
      reply.redirect(`/setup/step/${step}`, 303);
      return;
    }
    this.fallback.catch(exception, host);
  }
}

const STEP = new ParseIntPipe({
  exceptionFactory: () => new BadRequestException('The step must be a number from 1 to 6'),
});

/** The OOBE wizard (docs/api.md, "Setup wizard"): pages, and JSON for `Accept: application/json`. */
@Controller('setup')
@UseGuards(SetupOpenGuard)
@UseFilters(SetupErrorFilter)
export class SetupController {
  constructor(
    private readonly wizards: WizardStore,
    private readonly steps: WizardStepsService,
    private readonly setup: SetupService,
    private readonly pages: SetupPages,
    private readonly sessions: SessionService,
    private readonly setupToken: SetupTokenService,
  ) {}

  @Get()
  resume(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const state = this.wizards.find(request);
    const step = state ? this.steps.currentStep(state) : 1;
    if (wantsJson(request)) reply.send({ step });
    else reply.redirect(`/setup/step/${step}`, 302);
  }

  @Get('step/:n')
  async page(
    @Param('n', STEP) n: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    if (n < 1 || n > 6) throw new BadRequestException('The step must be a number from 1 to 6');
    const state = this.wizards.open(request, reply);
    if (n === 6) throw new BadRequestException('Setup is not complete yet: finish step 5');
    if (wantsJson(request)) {
      this.steps.requireStep(state, n);
      if (n === 3) return reply.send(this.steps.admin(state));
      if (n === 5) return reply.send({ encryptionKey: this.steps.revealKey(state) });
      return reply.send({ step: n });
    }
    const missing = this.steps.prerequisite(state, n);
    if (missing) {
      state.flash = missing;
      return reply.redirect(`/setup/step/${this.steps.currentStep(state)}`, 302);
    }
    const encryptionKey = n === 5 && !state.keyShown ? this.steps.revealKey(state) : undefined;
    return this.pages.render(request, reply, n, state, { encryptionKey });
  }

  @Post('step/1')
  @HttpCode(200)
  welcome(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const state = this.wizards.open(request, reply);
    // Read as sent, not through a DTO: a missing or malformed token is a wrong one (403, counted), not a 400.
    this.setupToken.check((request.body as { setupToken?: unknown } | undefined)?.setupToken, request.ip);
    state.unlocked = true;
    this.next(request, reply, 2);
  }

  @Post('step/2')
  @HttpCode(200)
  async credentials(
    @Body() body: CredentialsDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.steps.saveCredentials(this.wizards.open(request, reply), body.clientId, body.clientSecret);
    // The page's button is "Test Connection": it comes back to show the result and enable "Next".
    if (!wantsJson(request)) return void reply.redirect('/setup/step/2', 303);
    this.next(request, reply, 3);
  }

  @Post('step/3')
  @HttpCode(200)
  confirm(@Body() _body: ConfirmDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.steps.confirmAdmin(this.wizards.open(request, reply));
    this.next(request, reply, 4);
  }

  @Post('step/4')
  @HttpCode(200)
  smtp(@Body() body: SmtpDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.steps.saveSmtp(this.wizards.open(request, reply), body);
    this.next(request, reply, 5);
  }

  @Post('step/4/test-email')
  @HttpCode(200)
  async testEmail(@Body() body: SmtpDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const state = this.wizards.open(request, reply);
    if (!isHtmx(request)) {
      const { sentTo } = await this.steps.sendTestEmail(state, body);
      return void reply.send({ ok: true, sentTo });
    }
    // htmx swaps this fragment into the page, success or not.
    try {
      const { sentTo } = await this.steps.sendTestEmail(state, body);
      reply.type('text/html').send(fragment('ok', `Test email sent to ${sentTo.join(', ')}.`));
    } catch (error) {
      const { body: err } = toResponse(error);
      reply
        .code(error instanceof HttpException ? error.getStatus() : 500)
        .type('text/html')
        .send(fragment('error', err.error));
    }
  }

  @Post('step/5/new-key')
  @HttpCode(200)
  newKey(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.steps.newKey(this.wizards.open(request, reply));
    this.next(request, reply, 5);
  }

  @Post('step/5')
  @HttpCode(200)
  async complete(
    @Body() _body: SavedKeyDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    const state = this.wizards.open(request, reply);
    const { user, tokenId } = await this.setup.complete(state);
    await this.sessions.issue(reply, request, user);
    await this.setup.afterCompletion(user.id, tokenId);
    if (wantsJson(request)) return reply.send({ ok: true, next: 6 });
    // Every /setup route is gone from now on, so the done page is this answer itself.
    return this.pages.render(request, reply, 6, state, {
      done: { email: user.email, domain: user.email.split('@')[1] },
    });
  }

  private next(request: FastifyRequest, reply: FastifyReply, step: number): void {
    if (wantsJson(request)) reply.send({ ok: true, next: step });
    else reply.redirect(`/setup/step/${step}`, 303);
  }
}

function fragment(kind: 'ok' | 'error', text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<p class="alert alert-${kind}" role="status">${escaped}</p>`;
}
