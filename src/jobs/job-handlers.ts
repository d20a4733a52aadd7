import { Inject, Injectable, Optional } from '@nestjs/common';
import { AlertQueueProcessor } from '../alerts/alert-queue.processor';
import { GoogleAccountsService } from '../google/google-accounts.service';
import { JobName } from './job-definitions';
import { JOBS_SYNC, JOBS_WEBHOOKS, JobsSyncPort, JobsWebhookPort } from './job-ports';
import { RetentionService } from './retention.service';

export type JobHandler = () => Promise<unknown>;

/** SPEC: "Proactively refresh tokens expiring within 1 hour". */
const REFRESH_WITHIN_MS = 3600_000;

/** Each job is one call into the service that owns the work; this table is all the jobs know. */
@Injectable()
export class JobHandlers {
  constructor(
    private readonly alertQueue: AlertQueueProcessor,
    private readonly retention: RetentionService,
    @Optional() private readonly google?: GoogleAccountsService,
    @Optional() @Inject(JOBS_SYNC) private readonly sync?: JobsSyncPort,
    @Optional() @Inject(JOBS_WEBHOOKS) private readonly webhooks?: JobsWebhookPort,
  ) {}

  handlerFor(name: JobName): JobHandler | null {
    const { sync, webhooks, google } = this;
    switch (name) {
      case 'periodic-sync':
        return sync ? () => sync.pollAll() : null;
      case 'consistency-check':
        return sync?.consistencyCheck ? () => (sync.consistencyCheck as () => Promise<unknown>).call(sync) : null;
      case 'webhook-renewal':
        return webhooks ? () => webhooks.renewExpiring() : null;
      case 'token-refresh':
        return google ? () => google.refreshExpiring(REFRESH_WITHIN_MS) : null;
      case 'retention-cleanup':
        return () => this.retention.cleanup(new Date());
      case 'alert-queue':
        return () => this.alertQueue.processDue(new Date());
      case 'stale-alert-cleanup':
        return () => this.alertQueue.cleanupStale(new Date());
    }
  }
}
