import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from '../alerts/alerts.module';
import { MetricsModule } from '../metrics/metrics.module';
import { JobHandlers } from './job-handlers';
import { JobLockService } from './job-lock.service';
import { JobRunner } from './job-runner.service';
import { JobsScheduler } from './jobs.scheduler';
import { RetentionService } from './retention.service';

@Module({
  imports: [ScheduleModule.forRoot(), AlertsModule, MetricsModule],
  // JOBS_SYNC and JOBS_WEBHOOKS come from the (global) sync and webhook rooms; see job-ports.ts.
  providers: [JobLockService, JobHandlers, JobRunner, JobsScheduler, RetentionService],
  exports: [JobLockService, JobRunner, RetentionService],
})
export class JobsModule {}
