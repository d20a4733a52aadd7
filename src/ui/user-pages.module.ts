import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { SyncModule } from '../sync/sync.module';
import { EventsPageService } from './events-page.service';
import { UiModule } from './ui.module';
import { UserPagesController } from './user-pages.controller';
import { UserPagesService } from './user-pages.service';

/** The signed-in user's pages: dashboard, settings, sync log, synced events. */
@Module({
  imports: [SessionsModule, UiModule, CalendarsModule, SyncModule],
  controllers: [UserPagesController],
  providers: [UserPagesService, EventsPageService],
})
export class UserPagesModule {}
