import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { SessionsModule } from '../auth/sessions.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { AdminRepository } from '../database/repositories/admin.repository';
import { GoogleModule } from '../google/google.module';
import { JobsModule } from '../jobs/jobs.module';
import { SettingsModule } from '../settings/settings.module';
import { SetupModule } from '../setup/setup.module';
import { SyncModule } from '../sync/sync.module';
import { UiModule } from '../ui/ui.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AdminApiController } from './admin-api.controller';
import { AdminFormsService } from './admin-forms';
import { AdminPagesController } from './admin-pages.controller';
import { AdminPagesService } from './admin-pages.service';
import { AdminSettingsService } from './admin-settings.service';
import { AdminSystemService } from './admin-system.service';
import { AdminUsersService } from './admin-users.service';
import { WebhookStops } from './webhook-stops';

/** The admin console: the admin API routes and the /admin pages. Nothing imports it. */
@Module({
  imports: [
    AlertsModule,
    SessionsModule,
    UiModule,
    SettingsModule,
    GoogleModule,
    CalendarsModule,
    SyncModule,
    WebhooksModule,
    JobsModule,
    SetupModule,
  ],
  controllers: [AdminApiController, AdminPagesController],
  providers: [
    AdminRepository,
    AdminPagesService,
    AdminFormsService,
    AdminUsersService,
    AdminSystemService,
    AdminSettingsService,
    WebhookStops,
  ],
})
export class AdminModule {}
