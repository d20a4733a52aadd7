/**
 * What the jobs need from rooms built alongside (sync, webhooks). Injected optionally through these
 * tokens and bound with useExisting in JobsModule once those rooms exist: until then the job is
 * reported "unavailable" and skipped, and the rest of the schedule runs.
 */
export interface JobsSyncPort {
  /** Periodic poll: queue an incremental sync of every active calendar. */
  pollAll(): Promise<unknown>;
  /** SPEC "Consistency Check": verify mappings against Google and repair (absent until the engine has it). */
  consistencyCheck?: () => Promise<unknown>;
}

export interface JobsWebhookPort {
  /** Re-register channels expiring within 24 hours; open missing ones. */
  renewExpiring(): Promise<unknown>;
}

export const JOBS_SYNC = Symbol('JOBS_SYNC');
export const JOBS_WEBHOOKS = Symbol('JOBS_WEBHOOKS');
