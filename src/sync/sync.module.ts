import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CALENDAR_SYNC } from '../calendars/sync-ports';
import { JOBS_SYNC } from '../jobs/job-ports';
import { MetricsModule } from '../metrics/metrics.module';
import { SyncService } from './sync.service';

/**
 * The sync engine (DESIGN.md section 3). Global so the calendars, webhooks, jobs and admin rooms reach its
 * one service; it also fills the calendars and jobs rooms' ports.
 */
@Global()
@Module({
  imports: [AlertsModule, MetricsModule],
  providers: [SyncService, { provide: CALENDAR_SYNC, useExisting: SyncService }, { provide: JOBS_SYNC, useExisting: SyncService }],
  exports: [SyncService, CALENDAR_SYNC, JOBS_SYNC],
})
export class SyncModule {}
