import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res, Type, UseGuards } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { CalendarRowView, CalendarStatusView, ConnectedType } from './calendar-view';
import { ConnectionsService } from './connections.service';
import { ConnectCalendarDto } from './dto';
import { IdParamPipe } from './id-param.pipe';
import { DryRunResult } from '../sync/rules';

/** The five routes of docs/api.md, once for client and once for personal calendars. */
function connectedCalendarsController(type: ConnectedType, path: string): Type<unknown> {
  @Controller(path)
  @UseGuards(SessionGuard)
  class ConnectedCalendarsController {
    constructor(readonly connections: ConnectionsService) {}

    @Get()
    list(@CurrentUser() user: User): Promise<CalendarRowView[]> {
      return this.connections.list(user, type);
    }

    @Post()
    connect(
      @CurrentUser() user: User,
      @Body() body: ConnectCalendarDto,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<CalendarRowView | DryRunResult> {
      if (!body.dryRun) return this.connections.connect(user, type, body.accountId, body.calendarId);
      reply.status(200); // nothing was created
      return this.connections.dryRun(user, type, body.accountId, body.calendarId);
    }

    @Delete(':id')
    disconnect(@CurrentUser() user: User, @Param('id', IdParamPipe) id: number): Promise<CalendarRowView> {
      return this.connections.disconnect(user, type, id);
    }

    @Post(':id/sync')
    @HttpCode(202)
    sync(@CurrentUser() user: User, @Param('id', IdParamPipe) id: number): Promise<{ queued: true; id: number }> {
      return this.connections.syncNow(user, type, id);
    }

    @Get(':id/status')
    status(@CurrentUser() user: User, @Param('id', IdParamPipe) id: number): Promise<CalendarStatusView> {
      return this.connections.status(user, type, id);
    }
  }
  Object.defineProperty(ConnectedCalendarsController, 'name', {
    value: type === 'client' ? 'ClientCalendarsController' : 'PersonalCalendarsController',
  });
  return ConnectedCalendarsController;
}

export const ClientCalendarsController = connectedCalendarsController('client', 'api/client-calendars');
export const PersonalCalendarsController = connectedCalendarsController('personal', 'api/personal-calendars');
