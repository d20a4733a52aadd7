import { Body, Controller, Get, Header, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { formPost, seeOther } from '../ui/form-post';
import { PageRenderer } from '../ui/page-renderer';
import { CONNECT_PAGE_SCRIPT } from './connect-page.script';
import { ConnectPagesService } from './connect-pages.service';
import { ConnectPickForm } from './dto';
import { IdParamPipe } from './id-param.pipe';
import { DryRunResult } from '../sync/rules';

/**
 * `/app/connect` (choose a calendar of a just-connected account) and the IT approval sheet. The picker is a
 * plain form (`_csrf`, one radio per calendar) posting to `POST /app/connect`; connect.js only enhances it.
 */
@Controller('app')
@UseGuards(SessionGuard)
export class ConnectPagesController {
  constructor(
    private readonly pages: ConnectPagesService,
    private readonly renderer: PageRenderer,
  ) {}

  @Get('connect')
  async pick(
    @CurrentUser() user: User,
    @Query('account', IdParamPipe) account: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.render(request, reply, user, account);
  }

  /** Connected -> 303 to the dashboard with a notice; refused (read-only, already connected...) -> the picker with the message and the 4xx. */
  @Post('connect')
  async connect(
    @CurrentUser() user: User,
    @Body() form: ConnectPickForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<unknown> {
    const account = await this.pages.account(user, form.accountId);
    if (account.type === 'client' && form.confirmed !== 'true') {
      // First what connecting will write; the confirm form posts again with `confirmed`.
      return formPost(
        request,
        reply,
        () => this.pages.dryRun(user, account, form.calendarId),
        (dryRun) => this.render(request, reply, user, account.id, form.calendarId, undefined, undefined, dryRun),
        (message, status) => this.render(request, reply, user, account.id, form.calendarId, message, status),
      );
    }
    return formPost(
      request,
      reply,
      () => this.pages.connect(user, account, form.calendarId),
      () => seeOther(reply, '/app', 'connected'),
      (message, status) => this.render(request, reply, user, account.id, form.calendarId, message, status),
    );
  }

  @Get('connect.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return CONNECT_PAGE_SCRIPT;
  }

  @Get('it-approval')
  async itApproval(@Res() reply: FastifyReply): Promise<void> {
    await reply.view('connect/it-approval', await this.pages.itApproval());
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
    account: number,
    chosen?: string,
    refusal?: string,
    status?: number,
    dryRun?: DryRunResult,
  ): Promise<void> {
    const data = await this.pages.pick(user, account, chosen);
    const preview = dryRun
      ? { ...dryRun, calendarId: chosen, shown: dryRun.items.slice(0, 20), more: Math.max(0, dryRun.items.length - 20) }
      : undefined;
    // The site layout (nonce, `csrfToken` for the form's `_csrf` and connect.js, no-store).
    await this.renderer.render(
      request,
      reply,
      'connect/pick',
      {
        ...data,
        error: refusal ?? data.error,
        title: 'Choose a calendar',
        signedIn: true,
        isClient: data.account.type === 'client',
        dryRun: preview,
      },
      { status },
    );
  }
}
