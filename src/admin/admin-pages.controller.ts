import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { AdminGuard } from '../auth/session.guard';
import { IdParamPipe } from '../calendars/id-param.pipe';
import { User } from '../database/entities';
import { formPost, seeOther } from '../ui/form-post';
import { isHtmx, PageRenderer } from '../ui/page-renderer';
import { AdminFormsService, SettingsForm } from './admin-forms';
import { AdminPagesService } from './admin-pages.service';
import { LogQueryDto, UserListQueryDto } from './admin.dto';

type Rq = FastifyRequest;
type Rp = FastifyReply;

/** The admin pages. Every action is a plain form (`_csrf`) that redirects back: usable without JavaScript. */
@Controller('admin')
@UseGuards(AdminGuard)
export class AdminPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly view: AdminPagesService,
    private readonly forms: AdminFormsService,
  ) {}

  @Get()
  async dashboard(@CurrentUser() me: User, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.page(rq, rp, me, 'admin/dashboard', 'overview', 'Admin', await this.view.dashboard());
  }

  @Get('users')
  async users(@CurrentUser() me: User, @Query() q: UserListQueryDto, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.page(rq, rp, me, 'admin/users', 'users', 'Users', await this.view.users(q));
  }

  @Get('users/:id')
  async user(
    @CurrentUser() me: User,
    @Param('id', IdParamPipe) id: number,
    @Req() rq: Rq,
    @Res() rp: Rp,
  ): Promise<unknown> {
    return this.page(rq, rp, me, 'admin/user', 'users', 'User', await this.view.user(id, me));
  }

  @Get('logs')
  async logs(@CurrentUser() me: User, @Query() q: LogQueryDto, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.page(rq, rp, me, 'admin/logs', 'logs', 'System logs', await this.view.logs(q));
  }

  @Get('settings')
  async settings(@CurrentUser() me: User, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.page(rq, rp, me, 'admin/settings', 'settings', 'Admin settings', await this.view.settings());
  }

  @Post('sync/:op')
  async pause(@CurrentUser() me: User, @Param('op') op: string, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.act(rq, rp, me, () => this.forms.pause(op, me), op === 'pause' ? 'paused' : 'resumed', '/admin');
  }

  @Post('cleanup')
  async cleanup(@CurrentUser() me: User, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    return this.act(rq, rp, me, () => this.forms.cleanup(me), 'cleanup', '/admin');
  }

  @Post('users/:id/:action')
  async userAction(
    @CurrentUser() me: User,
    @Param('id', IdParamPipe) id: number,
    @Param('action') action: string,
    @Body() body: Record<string, unknown>,
    @Req() rq: Rq,
    @Res() rp: Rp,
  ): Promise<unknown> {
    return this.act(
      rq,
      rp,
      me,
      () => this.forms.userAction(id, action, body, me),
      this.forms.doneCode(action, body),
      action === 'remove' ? '/admin/users' : `/admin/users/${id}`,
    );
  }

  @Post('users/:id/calendars/:calId/disconnect')
  async disconnect(
    @CurrentUser() me: User,
    @Param('id', IdParamPipe) id: number,
    @Param('calId', IdParamPipe) calId: number,
    @Req() rq: Rq,
    @Res() rp: Rp,
  ): Promise<unknown> {
    return this.act(rq, rp, me, () => this.forms.disconnect(id, calId, me), 'disconnected', `/admin/users/${id}`);
  }

  @Post('settings')
  async saveSettings(
    @CurrentUser() me: User,
    @Body() body: SettingsForm,
    @Req() rq: Rq,
    @Res() rp: Rp,
  ): Promise<unknown> {
    return this.act(rq, rp, me, () => this.forms.saveSettings(body, me), 'settings', '/admin/settings');
  }

  @Post('settings/test-email')
  async testEmail(@CurrentUser() me: User, @Body() body: SettingsForm, @Req() rq: Rq, @Res() rp: Rp): Promise<unknown> {
    // htmx swaps the result in under the button; a plain form post comes back to the settings page with a notice.
    if (isHtmx(rq)) return this.forms.testEmailFragment(body, me, rp);
    return this.act(rq, rp, me, () => this.forms.testEmail(body, me), 'test-email', '/admin/settings');
  }

  @Post('factory-reset')
  async factoryReset(
    @CurrentUser() me: User,
    @Body() body: Record<string, unknown>,
    @Req() rq: Rq,
    @Res() rp: Rp,
  ): Promise<unknown> {
    return this.act(rq, rp, me, () => this.forms.factoryReset(body, me, rq, rp), '', '/setup');
  }

  private async page(
    rq: Rq,
    rp: Rp,
    me: User,
    view: string,
    nav: string,
    title: string,
    data: object,
    error?: string,
    status?: number,
  ): Promise<unknown> {
    return this.pages.renderSignedIn(rq, rp, me, { view, nav, title, data, error, status });
  }

  /** A form post (form-post.ts): done -> 303 back with a fixed notice; refused -> the page it came from, with the message and the 4xx. */
  private async act(
    rq: Rq,
    rp: Rp,
    me: User,
    work: () => Promise<unknown>,
    done: string,
    back: string,
  ): Promise<unknown> {
    return formPost(
      rq,
      rp,
      work,
      () => seeOther(rp, back, done),
      async (message, status) => {
        const { view, nav, title, data } = await this.view.pageFor(back, me);
        return this.page(rq, rp, me, view, nav, title, data, message, status);
      },
    );
  }
}
