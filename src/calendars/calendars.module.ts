import { Module } from '@nestjs/common';
import { CalendarsService } from './calendars.service';
import { SyncBridge } from './sync-ports';

/** Main-calendar choice, client and personal connections, disconnect (DESIGN.md section 3). */
@Module({
  providers: [CalendarsService, SyncBridge],
  exports: [CalendarsService],
})
export class CalendarsModule {}
