import { Inject, Injectable } from '@nestjs/common';
import { AlertQueueProcessor } from '../alerts/alert-queue.processor';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { JobName } from './job-definitions';
import { JOBS_SYNC, JOBS_WEBHOOKS, JobsSyncPort, JobsWebhookPort } from './job-ports';
import { RetentionService } from './retention.service';

export type JobHandler = () => Promise<unknown>;

/** Tokens expiring within the hour are refreshed ahead of use, so no sync waits on a refresh. */
const REFRESH_WITHIN_MS = 3600_000;

/** Each job is one call into the service that owns the work; this table is all the jobs know. */
@Injectable()
export class JobHandlers {
  constructor(
    private readonly alertQueue: AlertQueueProcessor,
    private readonly retention: RetentionService,
    private readonly google: GoogleAccountsService,
    @Inject(JOBS_SYNC) private readonly sync: JobsSyncPort,
    @Inject(JOBS_WEBHOOKS) private readonly webhooks: JobsWebhookPort,
  ) {}

  handlerFor(name: JobName): JobHandler {
    switch (name) {
      case 'periodic-sync':
        return () => this.sync.pollAll();
      case 'consistency-check':
        return () => this.sync.consistencyCheck();
      case 'webhook-renewal':
        return () => this.webhooks.renewExpiring();
      case 'token-refresh':
        return () => this.google.refreshExpiring(REFRESH_WITHIN_MS);
      case 'retention-cleanup':
        return () => this.retention.cleanup(new Date());
      case 'alert-queue':
        return () => this.alertQueue.processDue(new Date());
      case 'stale-alert-cleanup':
        return () => this.alertQueue.cleanupStale(new Date());
    }
  }
}
