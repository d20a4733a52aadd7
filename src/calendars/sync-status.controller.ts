import { Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionGuard } from '../auth/session.guard';
import { User } from '../database/entities';
import { SyncLogQueryDto } from './dto';
import { SyncLogView, SyncStatusService, SyncStatusView } from './sync-status.service';

@Controller('api/sync')
@UseGuards(SessionGuard)
export class SyncStatusController {
  constructor(private readonly syncStatus: SyncStatusService) {}

  @Get('status')
  status(@CurrentUser() user: User): Promise<SyncStatusView> {
    return this.syncStatus.status(user);
  }

  @Get('log')
  log(@CurrentUser() user: User, @Query() query: SyncLogQueryDto): Promise<SyncLogView> {
    return this.syncStatus.log(user, query);
  }

  @Post('full')
  @HttpCode(202)
  full(@CurrentUser() user: User): Promise<{ queued: true }> {
    return this.syncStatus.fullResync(user);
  }
}
