import { DateTime } from 'luxon';
import { Graph } from '../errors';
import { StoredEvent } from '../model';
import { parseDateTimeTimeZone, windowsName } from './time';

export interface Times {
  startMs: number;
  endMs: number;
  zone: string;
  zoneName: string;
  startLocal: DateTime;
}

const isMidnight = (d: DateTime) => d.hour === 0 && d.minute === 0 && d.second === 0 && d.millisecond === 0;

/** The stored side of a start/end the request did not send, in the zone it was written in. */
function storedSide(ev: StoredEvent, which: 'start' | 'end'): { dateTime: string; timeZone: string } {
  const dt = DateTime.fromMillis(which === 'start' ? ev.startMs : ev.endMs, { zone: ev.zone });
  return { dateTime: dt.toFormat("yyyy-LL-dd'T'HH:mm:ss"), timeZone: ev.zone };
}

/**
 * Start/end rules: an inverted range is refused, a zero-length one accepted; an all-day event must run from
 * midnight to midnight in one time zone (EVENT: "start and end time must be set to midnight and be in the same time zone").
 */
export function resolveTimes(start: unknown, end: unknown, isAllDay: boolean, current?: StoredEvent): Times {
  if ((start === undefined || end === undefined) && !current)
    throw Graph.propertyValidation('An event needs both start and end.');
  const s = parseDateTimeTimeZone(start ?? storedSide(current!, 'start'), 'start');
  const e = parseDateTimeTimeZone(end ?? storedSide(current!, 'end'), 'end');
  if (e.ms < s.ms)
    throw Graph.invalidRequest('The end time of the event must be later than or equal to its start time.');
  if (isAllDay) {
    if (!isMidnight(s.local) || !isMidnight(e.local))
      throw Graph.propertyValidation('An all-day event must start and end at midnight.');
    if (s.zone !== e.zone) throw Graph.propertyValidation('An all-day event must start and end in the same time zone.');
  }
  const rawZone = (start as { timeZone?: string } | undefined)?.timeZone;
  return {
    startMs: s.ms,
    endMs: e.ms,
    zone: s.zone,
    zoneName: rawZone && rawZone !== s.zone ? rawZone : windowsName(s.zone),
    startLocal: s.local,
  };
}
