import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { AdminRepository } from '../database/repositories/admin.repository';
import { EventsPageService } from './events-page.service';
import { UserPagesController } from './user-pages.controller';
import { UserPagesService } from './user-pages.service';

/** The signed-in user's pages: dashboard, settings, sync log, synced events (PageRenderer comes from UiModule). */
@Module({
  imports: [CalendarsModule],
  controllers: [UserPagesController],
  providers: [UserPagesService, EventsPageService, AdminRepository],
})
export class UserPagesModule {}
