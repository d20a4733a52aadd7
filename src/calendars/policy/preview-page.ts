import { DateTime } from 'luxon';
import { ClientPolicy, PreviewItem } from '../../sync/rules';
import { PreviewView } from './client-policy.service';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A browser form's value: the last of repeated fields (a hidden "false" before a checkbox "true"). */
function last(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' ? v : undefined;
}

function all(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );
}

/**
 * The draft policy form (no JavaScript) as policy input: checkboxes, a keyword list one per line or
 * comma-separated, and working hours only when switched on. The policy rules check every field.
 */
export function policyFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const minutes = last(form.minMinutes)?.trim();
  const input: Record<string, unknown> = {
    blockAllDay: last(form.blockAllDay) === 'true',
    blockTentative: last(form.blockTentative) === 'true',
    unavailableOutsideHours: last(form.unavailableOutsideHours) === 'true',
  };
  // Text fields a post leaves out keep their saved value.
  if (form.busyTitle !== undefined) input.busyTitle = last(form.busyTitle) ?? '';
  if (minutes !== undefined) input.minMinutes = /^\d+$/.test(minutes) ? Number(minutes) : minutes === '' ? 0 : minutes;
  if (form.excludeKeywords !== undefined)
    input.excludeKeywords = (last(form.excludeKeywords) ?? '')
      .split(/[,\n]/)
      .map((k) => k.trim())
      .filter(Boolean);
  input.workingHours =
    last(form.useHours) === 'true'
      ? {
          days: all(form.days).map(Number),
          start: last(form.start) ?? '',
          end: last(form.end) ?? '',
          timeZone: (last(form.timeZone) ?? '').trim(),
        }
      : null;
  if (input.workingHours === null) input.unavailableOutsideHours = false;
  return input;
}

interface DayCell {
  label: string;
  items: Array<PreviewItem & { time: string; ours: boolean }>;
}

function timeLabel(item: PreviewItem, zone: string): string {
  if (item.allDay) return 'All day';
  const f = (iso: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');
  return `${f(item.start)}–${f(item.end)}`;
}

/** The week grid: one cell per day of the range (in `zone`), each item under the day it starts. */
export function weekGrid(view: PreviewView, zone: string): DayCell[] {
  const first = DateTime.fromISO(view.from, { zone }).startOf('day');
  // As many days as the range has, even when its bounds are midnights of another zone.
  const count = Math.min(31, Math.max(1, Math.round((Date.parse(view.to) - Date.parse(view.from)) / 86_400_000)));
  const days: DayCell[] = [];
  for (let d = first; days.length < count; d = d.plus({ days: 1 })) {
    const key = d.toISODate();
    const items = view.items
      .filter((i) => (i.allDay ? i.start : DateTime.fromISO(i.start, { zone }).toISODate()) === key)
      .map((i) => ({ ...i, time: timeLabel(i, zone), ours: i.source === 'busybridge' }));
    days.push({ label: `${DAY_NAMES[d.weekday - 1]} ${d.toFormat('d LLL')}`, items });
  }
  return days;
}

/** The form's fields for a policy (checked boxes, the keyword text, the seven weekdays). */
export function formFields(policy: ClientPolicy): Record<string, unknown> {
  const hours = policy.workingHours;
  return {
    ...policy,
    keywordsText: policy.excludeKeywords.join(', '),
    useHours: hours !== null,
    start: hours?.start ?? '09:00',
    end: hours?.end ?? '17:00',
    timeZone: hours?.timeZone ?? 'UTC',
    weekdays: DAY_NAMES.map((name, i) => ({ value: i + 1, name, checked: hours ? hours.days.includes(i + 1) : i < 5 })),
  };
}
