/** The scheduled jobs. Cron expressions have a seconds field and run in the configured TZ. */
export const JOB_NAMES = [
  'periodic-sync',
  'webhook-renewal',
  'consistency-check',
  'retention-cleanup',
  'token-refresh',
  'alert-queue',
  'stale-alert-cleanup',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export type JobSchedule = { cron: string } | { everyMs: number };

export interface JobDefinition {
  name: JobName;
  schedule: JobSchedule;
  /** A lock older than this (no heartbeat) belonged to a crashed run and is taken over. */
  staleAfterMs: number;
}

const MIN = 60_000;

export function jobDefinitions(syncPollSeconds: number): JobDefinition[] {
  return [
    { name: 'periodic-sync', schedule: { everyMs: syncPollSeconds * 1000 }, staleAfterMs: 10 * MIN },
    { name: 'webhook-renewal', schedule: { cron: '0 0 */6 * * *' }, staleAfterMs: 10 * MIN },
    { name: 'consistency-check', schedule: { cron: '0 30 * * * *' }, staleAfterMs: 10 * MIN },
    { name: 'retention-cleanup', schedule: { cron: '0 0 3 * * *' }, staleAfterMs: 10 * MIN },
    { name: 'token-refresh', schedule: { cron: '0 */30 * * * *' }, staleAfterMs: 10 * MIN },
    { name: 'alert-queue', schedule: { cron: '0 * * * * *' }, staleAfterMs: 5 * MIN },
    { name: 'stale-alert-cleanup', schedule: { cron: '0 0 4 * * *' }, staleAfterMs: 10 * MIN },
  ];
}
