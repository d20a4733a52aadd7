import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SentCall } from '../google/calendar-api';
import { classifyGoogleError } from '../google/google-errors';
import { googleMethodName, statusClass } from './google-call-names';
import { PropagationClock, PropagationTrigger } from './propagation-clock';

export const METRIC_PREFIX = 'busybridge_';
export type SyncRunKind = 'incremental' | 'full' | 'consistency';

interface HttpShape {
  status?: number;
  config?: { method?: string; url?: string | URL };
  response?: { status?: number };
}

/** An in-progress sync run of one calendar; finished exactly once. */
export interface SyncRunObservation {
  finished(outcome: string, full: boolean, lastWriteAt?: number): void;
}

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The product's Prometheus registry (its own, not prom-client's global one, so two apps in one process
 * never share counters) and the few observation points other rooms call. Everything that is a state
 * rather than an event (connections, channels, managed events, sizes) is read from the database at
 * scrape time by DatabaseGauges instead of being counted here.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly propagationClock = new PropagationClock();
  private lastPollCycleAt: number | null = null;
  private processMetricsStarted = false;

  private readonly syncRuns = this.counter('sync_runs_total', 'Calendar sync runs by kind and outcome', [
    'kind',
    'outcome',
  ]);
  private readonly syncDuration = this.histogram(
    'sync_run_duration_seconds',
    'Duration of one calendar sync run',
    ['kind'],
    SECONDS,
  );
  private readonly propagation = this.histogram(
    'propagation_seconds',
    'From a change first noticed (webhook or poll) to the last write for it landing on every other calendar',
    ['trigger'],
    // Fine below 5 s, where a healthy instance lives, so p50/p95 interpolate between close bounds.
    [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 120, 300, 900],
  );
  private readonly googleCalls = this.counter(
    'google_calls_total',
    'Google Calendar API requests by method and status class',
    ['method', 'status_class'],
  );
  private readonly googleLatency = this.histogram(
    'google_call_duration_seconds',
    'Google Calendar API request latency',
    ['method'],
    [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  private readonly googleThrottled = this.counter(
    'google_throttled_total',
    'Google answers that said slow down (429, 403 rate limit)',
    ['method'],
  );
  private readonly retryAfter = this.histogram(
    'google_retry_after_seconds',
    'Retry-After Google asked for on throttled answers',
    [],
    [1, 5, 10, 30, 60, 300, 900, 3600],
  );
  private readonly writes = this.counter('writes_total', 'Writes to Google that landed, by kind of operation', [
    'kind',
  ]);
  private readonly webhooks = this.counter(
    'webhook_notifications_total',
    'Google push notifications received, by result',
    ['result'],
  );
  private readonly valveTrips = this.counter(
    'safety_valve_trips_total',
    'Full listings stopped from mass-deleting by the safety valve',
    [],
  );
  private readonly jobRuns = this.counter('job_runs_total', 'Scheduled job runs by job and outcome', [
    'job',
    'outcome',
  ]);

  constructor() {
    const lastPoll = () => (this.lastPollCycleAt ?? 0) / 1000;
    new Gauge({
      name: `${METRIC_PREFIX}last_poll_cycle_timestamp_seconds`,
      help: 'When the scheduler last completed a poll cycle (0: not yet)',
      registers: [this.registry],
      collect() {
        this.set(lastPoll());
      },
    });
  }

  /** One Calendar API request (each attempt counts: it is what Google, and its quota, see). */
  googleCall(call: SentCall): void {
    const raw = (call.response ?? call.error) as HttpShape | undefined;
    const method = googleMethodName(raw?.config?.method, raw?.config?.url);
    const status = call.response ? (raw?.status ?? 200) : raw?.response?.status;
    this.googleCalls.inc({ method, status_class: statusClass(status) });
    this.googleLatency.observe({ method }, call.seconds);
    if (call.error === undefined) return;
    const error = classifyGoogleError(call.error);
    if (error.kind !== 'rate_limited') return;
    this.googleThrottled.inc({ method });
    if (error.retryAfterMs !== undefined) this.retryAfter.observe(error.retryAfterMs / 1000);
  }

  /** A webhook or poll asked for a sync of this calendar: the propagation clock starts if it is not running. */
  changeNoticed(calendarId: number, reason: string): void {
    if (reason === 'webhook' || reason === 'poll')
      this.propagationClock.noticed(calendarId, reason as PropagationTrigger);
  }

  syncRunStarted(calendarId: number, kind: SyncRunKind): SyncRunObservation {
    const started = performance.now();
    const noticed = this.propagationClock.take(calendarId);
    return {
      finished: (outcome, full, lastWriteAt) => {
        // An incremental run that found its token expired listed everything: it ran as a full one.
        const ranAs = kind === 'incremental' && full ? 'full' : kind;
        this.syncRuns.inc({ kind: ranAs, outcome });
        this.syncDuration.observe({ kind: ranAs }, (performance.now() - started) / 1000);
        if (outcome === 'valve') this.valveTrips.inc();
        if (noticed && lastWriteAt !== undefined && lastWriteAt >= noticed.at) {
          this.propagation.observe({ trigger: noticed.trigger }, (lastWriteAt - noticed.at) / 1000);
        }
      },
    };
  }

  writeLanded(kind: string): void {
    this.writes.inc({ kind });
  }

  webhookReceived(result: string): void {
    this.webhooks.inc({ result });
  }

  /** A scheduled job ended; a poll tick that ran (or found sync paused on purpose) proves the scheduler alive. */
  jobFinished(job: string, outcome: string): void {
    this.jobRuns.inc({ job, outcome });
    if (job === 'periodic-sync' && (outcome === 'done' || outcome === 'paused')) this.lastPollCycleAt = Date.now();
  }

  /** Epoch ms of the last completed poll cycle, or null before the first. */
  get lastPollCycle(): number | null {
    return this.lastPollCycleAt;
  }

  async scrape(): Promise<string> {
    // Started by the first scrape: an instance nobody scrapes (and every test app) runs no event-loop
    // and GC observers for nothing.
    if (!this.processMetricsStarted) {
      collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
      this.processMetricsStarted = true;
    }
    return this.registry.metrics();
  }

  private counter(name: string, help: string, labelNames: string[]): Counter {
    return new Counter({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  private histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
    return new Histogram({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers: [this.registry] });
  }
}
