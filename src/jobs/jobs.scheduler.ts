import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { jobDefinitions } from './job-definitions';
import { JobRunner } from './job-runner.service';

/** In-flight jobs get this long on shutdown; the whole exit must stay under 10 s. */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The cron provider: registers every scheduled job with @nestjs/schedule's registry,
 * cron times in the configured TZ, and only ever calls JobRunner. Stops taking ticks on shutdown.
 */
@Injectable()
export class JobsScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly names: string[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly runner: JobRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) {
      this.logger.log('Scheduled jobs are switched off (JOBS_ENABLED=false)');
      return;
    }
    for (const job of jobDefinitions(this.config.syncPollSeconds)) {
      const tick = () => void this.runner.run(job.name);
      if ('cron' in job.schedule) {
        const cron = CronJob.from({ cronTime: job.schedule.cron, onTick: tick, timeZone: this.config.tz, start: true });
        this.registry.addCronJob(job.name, cron);
      } else {
        const interval = setInterval(tick, job.schedule.everyMs);
        // Timers alone never keep the process alive (the HTTP server does).
        interval.unref();
        this.registry.addInterval(job.name, interval);
      }
      this.names.push(job.name);
    }
    this.logger.log('Scheduled jobs registered', { jobs: this.names, tz: this.config.tz });
  }

  /** First step of shutdown: no new ticks. */
  async onModuleDestroy(): Promise<void> {
    for (const name of this.names.splice(0)) {
      const crons = this.registry.getCronJobs();
      if (crons.has(name)) {
        await crons.get(name)?.stop();
        this.registry.deleteCronJob(name);
      } else if (this.registry.getIntervals().includes(name)) {
        this.registry.deleteInterval(name);
      }
    }
  }

  /** Then let running jobs finish, within the grace period, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop(SHUTDOWN_GRACE_MS);
  }
}
