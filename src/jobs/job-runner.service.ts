import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { SettingsService } from '../settings/settings.service';
import { JobDefinition, jobDefinitions, JobName } from './job-definitions';
import { JobHandlers } from './job-handlers';
import { JobLockService } from './job-lock.service';

export type JobOutcome = 'done' | 'failed' | 'paused' | 'locked' | 'stopped';

/**
 * One run of one job: skipped while the admin has paused sync or the process is stopping, guarded by
 * job_locks, logged; a throw is logged and alerted (system_error) and never escapes to the timer.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('Jobs');
  private readonly definitions: Map<JobName, JobDefinition>;
  private readonly inFlight = new Set<Promise<JobOutcome>>();
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: SettingsService,
    private readonly locks: JobLockService,
    private readonly handlers: JobHandlers,
    private readonly alerts: AlertsService,
    private readonly metrics: MetricsService,
  ) {
    this.definitions = new Map(jobDefinitions(config.syncPollSeconds).map((d) => [d.name, d]));
  }

  run(name: JobName): Promise<JobOutcome> {
    if (this.stopping) return Promise.resolve('stopped');
    const run = this.execute(name)
      .then((outcome) => {
        this.metrics.jobFinished(name, outcome);
        return outcome;
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return run;
  }

  /** Stop taking runs; wait for those in flight up to `timeoutMs`, then leave them (each write is atomic). */
  async stop(timeoutMs: number): Promise<{ abandoned: number }> {
    this.stopping = true;
    if (this.inFlight.size === 0) return { abandoned: 0 };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    const abandoned = outcome === 'timeout' ? this.inFlight.size : 0;
    if (abandoned)
      this.logger.warn('Shutting down with jobs still running; their unfinished work is retried on the next start', {
        abandoned,
      });
    return { abandoned };
  }

  private async execute(name: JobName): Promise<JobOutcome> {
    const started = Date.now();
    try {
      if (await this.settings.isSyncPaused()) {
        this.logger.debug(`Job ${name} skipped: sync is paused`, { job: name });
        return 'paused';
      }
      const handler = this.handlers.handlerFor(name);
      const definition = this.definitions.get(name) as JobDefinition;
      const run = await this.locks.runExclusive(name, handler, { staleAfterMs: definition.staleAfterMs });
      if (!run.ran) {
        this.logger.debug(`Job ${name} skipped: a previous run still holds the lock`, { job: name });
        return 'locked';
      }
      this.logger.log(`Job ${name} done`, { job: name, durationMs: Date.now() - started, result: run.result ?? null });
      return 'done';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Job ${name} failed`, { job: name, durationMs: Date.now() - started, error: message });
      await this.alerts.raise({
        type: 'system_error',
        error: `Scheduled job "${name}" failed: ${message}`,
        dedupScope: `job:${name}`,
      });
      return 'failed';
    }
  }
}
