/**
 * What the jobs need from the sync and webhook rooms, bound by SyncModule and WebhooksModule (useExisting on
 * SyncService and WebhookService), so the jobs name only what they call.
 */
export interface JobsSyncPort {
  /** Periodic poll: queue an incremental sync of every active calendar. */
  pollAll(): Promise<unknown>;
  /** The consistency check: verify mappings against Google and repair. */
  consistencyCheck(): Promise<unknown>;
}

export interface JobsWebhookPort {
  /** Re-register channels expiring within 24 hours; open missing ones. */
  renewExpiring(): Promise<unknown>;
}

export const JOBS_SYNC = Symbol('JOBS_SYNC');
export const JOBS_WEBHOOKS = Symbol('JOBS_WEBHOOKS');
