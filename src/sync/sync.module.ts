import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { GoogleModule } from '../google/google.module';
import { CALENDAR_SYNC } from '../calendars/sync-ports';
import { JOBS_SYNC } from '../jobs/job-ports';
import { MetricsModule } from '../metrics/metrics.module';
import { SyncService } from './sync.service';
import { SyncedEventsReadModel } from './synced-events.read-model';

/**
 * The sync engine. SyncService is the one entry point to ask for a sync (requestSync, fullResync); the
 * calendars, webhooks, jobs, admin and user-pages rooms import this module, and it fills the calendars and
 * jobs rooms' ports with that same service.
 */
@Module({
  imports: [AlertsModule, GoogleModule, MetricsModule],
  providers: [
    SyncService,
    SyncedEventsReadModel,
    { provide: CALENDAR_SYNC, useExisting: SyncService },
    { provide: JOBS_SYNC, useExisting: SyncService },
  ],
  exports: [SyncService, SyncedEventsReadModel, CALENDAR_SYNC, JOBS_SYNC],
})
export class SyncModule {}
