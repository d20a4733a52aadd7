import { Global, Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { AdminRepository } from '../database/repositories/admin.repository';
import { DemoHint } from './demo-hint';
import { EventsPageService } from './events-page.service';
import { UserPagesController } from './user-pages.controller';
import { UserPagesService } from './user-pages.service';

/**
 * The signed-in user's pages: dashboard, settings, sync log, synced events (PageRenderer comes from UiModule).
 * Global for DemoHint, which the wizard's pages read too.
 */
@Global()
@Module({
  imports: [CalendarsModule],
  controllers: [UserPagesController],
  providers: [UserPagesService, EventsPageService, AdminRepository, DemoHint],
  exports: [DemoHint],
})
export class UserPagesModule {}
