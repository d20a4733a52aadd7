import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from '../alerts/alerts.module';
import { GoogleModule } from '../google/google.module';
import { SettingsModule } from '../settings/settings.module';
import { SyncModule } from '../sync/sync.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MetricsModule } from '../metrics/metrics.module';
import { JobHandlers } from './job-handlers';
import { JobLockService } from './job-lock.service';
import { JobRunner } from './job-runner.service';
import { JobsScheduler } from './jobs.scheduler';
import { RetentionService } from './retention.service';

@Module({
  // SyncModule and WebhooksModule fill the JOBS_SYNC and JOBS_WEBHOOKS ports (see job-ports.ts).
  imports: [
    ScheduleModule.forRoot(),
    AlertsModule,
    GoogleModule,
    SettingsModule,
    SyncModule,
    WebhooksModule,
    MetricsModule,
  ],
  providers: [JobLockService, JobHandlers, JobRunner, JobsScheduler, RetentionService],
  exports: [JobLockService, JobRunner, RetentionService],
})
export class JobsModule {}
