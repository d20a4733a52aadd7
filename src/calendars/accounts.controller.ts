import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { AccountView, ConnectionsService } from './connections.service';
import { CalendarChoice } from './google-http-errors';
import { IdParamPipe } from './id-param.pipe';

@Controller('api/accounts')
@UseGuards(SessionGuard)
export class AccountsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  list(@CurrentUser() user: User): Promise<AccountView[]> {
    return this.connections.listAccounts(user);
  }

  @Get(':id/calendars')
  calendars(@CurrentUser() user: User, @Param('id', IdParamPipe) id: number): Promise<CalendarChoice[]> {
    return this.connections.accountCalendars(user, id);
  }
}
