import { Module } from '@nestjs/common';
import { SyncCalendarsRepository } from '../database/repositories/sync-calendars.repository';
import { SyncService } from '../sync/sync.service';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from '../alerts/alerts.module';
import { JobHandlers } from './job-handlers';
import { JOBS_SYNC } from './job-ports';
import { JobLockService } from './job-lock.service';
import { JobRunner } from './job-runner.service';
import { JobsScheduler } from './jobs.scheduler';
import { RetentionService } from './retention.service';
import { SyncJobsAdapter } from './sync-jobs.adapter';

@Module({
  imports: [ScheduleModule.forRoot(), AlertsModule],
  providers: [
    JobLockService, JobHandlers, JobRunner, JobsScheduler, RetentionService,
    // The sync room is global; without it (a trimmed test app) the sync jobs report "unavailable".
    {
      provide: JOBS_SYNC,
      useFactory: (sync: SyncService | undefined, calendars: SyncCalendarsRepository) => (sync ? new SyncJobsAdapter(sync, calendars) : undefined),
      inject: [{ token: SyncService, optional: true }, SyncCalendarsRepository],
    },
  ],
  exports: [JobLockService, JobRunner, RetentionService],
})
export class JobsModule {}
