import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { AdminGuard } from '../auth/session.guard';
import { IdParamPipe } from '../calendars/id-param.pipe';
import { User } from '../database/entities';
import { FactoryResetDto, LogQueryDto, SetAdminDto, SettingsDto, TestEmailDto, UserListQueryDto } from './admin.dto';
import { AdminSettingsService, SettingsView } from './admin-settings.service';
import { AdminSystemService, HealthView, LogPage } from './admin-system.service';
import { AdminUsersService, UserDetail } from './admin-users.service';
import { AdminCalendarView, AdminUserRow } from './admin-views';

/** The admin API (docs/api.md): every route admin only (anonymous 401, a signed-in non-admin 403). */
@Controller('api/admin')
@UseGuards(AdminGuard)
export class AdminApiController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly system: AdminSystemService,
    private readonly settings: AdminSettingsService,
  ) {}

  @Get('health')
  health(): Promise<HealthView> {
    return this.system.health();
  }

  @Get('users')
  listUsers(@Query() q: UserListQueryDto): Promise<AdminUserRow[]> {
    return this.users.list(q);
  }

  @Get('users/:id')
  user(@Param('id', IdParamPipe) id: number): Promise<UserDetail> {
    return this.users.detail(id);
  }

  @Post('users/:id/sync')
  @HttpCode(202)
  syncUser(@Param('id', IdParamPipe) id: number, @CurrentUser() actor: User): Promise<{ queued: number }> {
    return this.users.syncUser(id, actor);
  }

  @Post('users/:id/force-reauth')
  @HttpCode(200)
  forceReauth(
    @Param('id', IdParamPipe) id: number,
    @CurrentUser() actor: User,
  ): Promise<{ ok: true; accounts: number }> {
    return this.users.forceReauth(id, actor);
  }

  @Delete('users/:id')
  removeUser(
    @Param('id', IdParamPipe) id: number,
    @CurrentUser() actor: User,
  ): Promise<{ deleted: true; email: string; cleanupFailed: number[] }> {
    return this.users.remove(id, actor);
  }

  @Put('users/:id/admin')
  setAdmin(
    @Param('id', IdParamPipe) id: number,
    @Body() body: SetAdminDto,
    @CurrentUser() actor: User,
  ): Promise<AdminUserRow> {
    return this.users.setAdmin(id, body.isAdmin, actor);
  }

  @Post('users/:id/calendars/:calId/disconnect')
  @HttpCode(200)
  disconnect(
    @Param('id', IdParamPipe) id: number,
    @Param('calId', IdParamPipe) calId: number,
    @CurrentUser() actor: User,
  ): Promise<AdminCalendarView> {
    return this.users.disconnectCalendar(id, calId, actor);
  }

  @Get('logs')
  logs(@Query() q: LogQueryDto): Promise<LogPage> {
    return this.system.logs(q);
  }

  @Post('sync/pause')
  @HttpCode(200)
  pause(@CurrentUser() actor: User): Promise<{ paused: boolean }> {
    return this.system.setPaused(true, actor);
  }

  @Post('sync/resume')
  @HttpCode(200)
  resume(@CurrentUser() actor: User): Promise<{ paused: boolean }> {
    return this.system.setPaused(false, actor);
  }

  @Post('cleanup')
  @HttpCode(200)
  cleanup(@CurrentUser() actor: User): Promise<unknown> {
    return this.system.cleanup(actor);
  }

  @Get('settings')
  getSettings(): Promise<SettingsView> {
    return this.settings.get();
  }

  @Put('settings')
  putSettings(@Body() body: SettingsDto, @CurrentUser() actor: User): Promise<SettingsView> {
    return this.settings.update(body, actor);
  }

  @Post('settings/test-email')
  @HttpCode(200)
  testEmail(@Body() body: TestEmailDto, @CurrentUser() actor: User): Promise<{ ok: true; sentTo: string }> {
    return this.settings.testEmail(body, actor);
  }

  @Post('factory-reset')
  @HttpCode(200)
  factoryReset(
    @Body() body: FactoryResetDto,
    @CurrentUser() actor: User,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ ok: true; next: '/setup' }> {
    return this.system.factoryReset(body?.confirm, actor, request, reply);
  }

  @Get('export')
  exportDatabase(@Res() reply: FastifyReply): Promise<void> {
    return this.system.export(reply);
  }
}
