import { GoogleApiError } from '../../google/google-errors';
import { isInstanceId, Operation } from '../rules';
import { UserRun } from './user-run';

/** Refusals that concern one write only: that copy is skipped, the rest of the change goes on. */
const WRITE_REFUSED = new Set(['forbidden', 'bad_request', 'not_found']);
/** Refusals that close the whole target calendar to us until its account is connected again. */
const TARGET_CLOSED = new Set(['auth_revoked', 'insufficient_scope']);

/**
 * A 404 that reaches us from an upsert of a plain copy id is the insert's (the update fell back to it): the
 * calendar itself is gone. No writer access is the calendar's too. Both close it for the rest of the run.
 */
function refusesTheCalendar(op: Operation, error: GoogleApiError): boolean {
  const upsert = op.op === 'upsertMainCopy' || op.op === 'upsertBusyBlock';
  if (error.kind === 'not_found') return upsert && !isInstanceId(op.eventId);
  return error.kind === 'forbidden' && error.reason === 'requiredAccessLevel';
}

/**
 * A write Google refused for reasons that are the target's, not the change's (a calendar gone, closed or
 * whose account was revoked), must not fail the sync of the calendar where the change happened: the write is
 * logged and skipped, and a closed target is planned as inactive for the rest of the run (its copies are made
 * up for by the full pass after the reconnect). Returns false for errors that must abort the run (transient,
 * rate limits: the whole sync is retried later).
 */
export async function skipRefusedWrite(
  run: UserRun,
  mappingId: number,
  op: Operation,
  error: unknown,
): Promise<boolean> {
  if (!(error instanceof GoogleApiError)) return false;
  const closed = TARGET_CLOSED.has(error.kind) || refusesTheCalendar(op, error);
  if (!closed && !WRITE_REFUSED.has(error.kind)) return false;
  const target = run.byId(op.calendarId);
  if (closed && target) run.setUnwritable(target);
  run.stats.skipped++;
  await run.deps.syncLog.add({
    userId: run.userId,
    calendarId: op.calendarId,
    action: `write_${op.op}`,
    status: 'failure',
    details: { mappingId, error: error.kind, reason: error.reason ?? null, ...(closed ? { targetClosed: true } : {}) },
  });
  return true;
}
