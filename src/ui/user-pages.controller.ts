import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { IdParamPipe } from '../calendars/id-param.pipe';
import { User } from '../database/entities';
import { EmailAlertsForm, EventsPageQuery, MainCalendarForm, RowPollQuery, UserLogPageQuery } from './dto';
import { EventsPageService } from './events-page.service';
import { formPost, seeOther } from './form-post';
import { isHtmx, PageRenderer } from './page-renderer';
import { UserPagesService } from './user-pages.service';

type Req_ = FastifyRequest;
type Rep = FastifyReply;

/** The pages of a signed-in user. Forms post with `_csrf` and redirect back (no JavaScript needed). */
@Controller('app')
@UseGuards(SessionGuard)
export class UserPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly ui: UserPagesService,
    private readonly events: EventsPageService,
  ) {}

  @Get()
  async dashboard(@CurrentUser() user: User, @Req() req: Req_, @Res() reply: Rep): Promise<unknown> {
    return this.page(req, reply, user, 'app/dashboard', 'dashboard', 'Dashboard', await this.ui.dashboard(user));
  }

  @Get('settings')
  async settings(@CurrentUser() user: User, @Req() req: Req_, @Res() reply: Rep): Promise<unknown> {
    return this.page(req, reply, user, 'app/settings', 'settings', 'Settings', await this.ui.settings(user));
  }

  @Get('logs')
  async logs(
    @CurrentUser() user: User,
    @Query() q: UserLogPageQuery,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    const data = await this.ui.logs(user, { page: q.page ?? 1, calendarId: q.calendarId, status: q.status });
    const base = `/app/logs?${new URLSearchParams({ ...(q.calendarId ? { calendarId: String(q.calendarId) } : {}), ...(q.status ? { status: q.status } : {}) })}&page=`;
    const pager = {
      ...data,
      prev: data.page > 1 ? base + (data.page - 1) : null,
      next: data.page < data.pages ? base + (data.page + 1) : null,
    };
    const statusOptions = ['success', 'warning', 'failure'].map((value) => ({ value, selected: value === q.status }));
    return this.page(req, reply, user, 'app/logs', 'logs', 'Sync log', {
      ...data,
      pager,
      statusOptions,
      calendarOptions: await this.ui.calendarOptions(user, q.calendarId),
    });
  }

  @Get('events')
  async eventsPage(
    @CurrentUser() user: User,
    @Query() q: EventsPageQuery,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.page(
      req,
      reply,
      user,
      'app/events',
      'events',
      'Synced events',
      await this.events.page(user, q.weeks ?? 2),
    );
  }

  @Post('calendars/:id/sync')
  async syncNow(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.act(req, reply, user, () => this.ui.syncNow(user, id), 'synced');
  }

  @Get('calendars/:id/row')
  async row(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Query() q: RowPollQuery,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.pages.render(req, reply, 'app/row', { row: await this.ui.rowAfter(user, id, q.after, q.until) });
  }

  @Post('calendars/:id/disconnect')
  async disconnect(
    @CurrentUser() user: User,
    @Param('id', IdParamPipe) id: number,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.act(req, reply, user, () => this.ui.disconnect(user, id), 'disconnected');
  }

  @Post('settings/main-calendar')
  async setMain(
    @CurrentUser() user: User,
    @Body() body: MainCalendarForm,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.act(req, reply, user, () => this.ui.setMain(user, body.calendarId), 'main', '/app/settings');
  }

  @Post('settings/alerts')
  async setAlerts(
    @CurrentUser() user: User,
    @Body() body: EmailAlertsForm,
    @Req() req: Req_,
    @Res() reply: Rep,
  ): Promise<unknown> {
    return this.act(
      req,
      reply,
      user,
      () => this.ui.setEmailAlerts(user, ([] as string[]).concat(body.emailAlerts ?? []).includes('true')),
      'prefs',
      '/app/settings',
    );
  }

  @Post('settings/full-resync')
  async fullResync(@CurrentUser() user: User, @Req() req: Req_, @Res() reply: Rep): Promise<unknown> {
    return this.act(req, reply, user, async () => this.ui.fullResync(user), 'resync', '/app/logs');
  }

  @Post('settings/disconnect-all')
  async disconnectAll(@CurrentUser() user: User, @Req() req: Req_, @Res() reply: Rep): Promise<unknown> {
    return this.act(req, reply, user, () => this.ui.disconnectAll(user), 'fresh');
  }

  private async page(
    req: Req_,
    reply: Rep,
    user: User,
    view: string,
    nav: string,
    title: string,
    data: object,
    error?: string,
    status?: number,
  ): Promise<unknown> {
    return this.pages.renderSignedIn(req, reply, user, { view, nav, title, data, error, status });
  }

  /**
   * A form post (form-post.ts): done -> 303 back with a fixed notice; refused -> the dashboard again with the
   * message and the refusal's 4xx. htmx's Sync Now gets the calendar's row instead, polling until the sync has run.
   */
  private async act(
    req: Req_,
    reply: Rep,
    user: User,
    work: () => Promise<unknown>,
    done: string,
    back = '/app',
  ): Promise<unknown> {
    return formPost(
      req,
      reply,
      work,
      (result) =>
        isHtmx(req) && done === 'synced'
          ? this.pages.render(req, reply, 'app/row', { row: result })
          : seeOther(reply, back, done),
      async (message, status) =>
        this.page(
          req,
          reply,
          user,
          'app/dashboard',
          'dashboard',
          'Dashboard',
          await this.ui.dashboard(user),
          message,
          status,
        ),
    );
  }
}
