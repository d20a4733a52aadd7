import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CalendarsModule } from '../calendars/calendars.module';
import { AdminRepository } from '../database/repositories/admin.repository';
import { AdminApiController } from './admin-api.controller';
import { AdminFormsService } from './admin-forms';
import { AdminPagesController } from './admin-pages.controller';
import { AdminPagesService } from './admin-pages.service';
import { AdminSettingsService } from './admin-settings.service';
import { AdminSystemService } from './admin-system.service';
import { AdminUsersService } from './admin-users.service';
import { LateDeps } from './late-deps';

/** The admin console (SPEC "Admin Capabilities"): API.md's admin routes and the /admin pages. */
@Module({
  imports: [AlertsModule, CalendarsModule],
  controllers: [AdminApiController, AdminPagesController],
  providers: [AdminRepository, AdminPagesService, AdminFormsService, AdminUsersService, AdminSystemService, AdminSettingsService, LateDeps],
  exports: [AdminUsersService, AdminSystemService, AdminSettingsService],
})
export class AdminModule {}
