import { esc } from '../../fake-shared/html';
import { StoredEvent } from '../model';
import { Prefer } from './prefer';
import { formatDateTime, isoUtc } from './time';

export type EventJson = Record<string, unknown>;

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function bodyFor(ev: StoredEvent, p: Prefer): { contentType: string; content: string } {
  const { contentType, content } = ev.fields.body;
  const want = p.bodyType ?? 'html';
  if (want === contentType) return { contentType, content };
  if (want === 'text') return { contentType: 'text', content: htmlToText(content) };
  const html = `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div>${esc(content).replace(/\n/g, '<br>')}</div>\r\n</body>\r\n</html>\r\n`;
  return { contentType: 'html', content: content ? html : '' };
}

/** A Graph event as Graph answers it; `transactionId` only when a client set one (EVENT). */
export function eventJson(ev: StoredEvent, p: Prefer, extended?: string[]): EventJson {
  const f = ev.fields;
  const out: EventJson = {
    '@odata.etag': `W/"${ev.changeKey}"`,
    id: p.immutableIds ? ev.immutableId : ev.id,
    createdDateTime: isoUtc(ev.createdMs),
    lastModifiedDateTime: isoUtc(ev.modifiedMs),
    changeKey: ev.changeKey,
    categories: [...f.categories],
    ...(ev.transactionId !== undefined ? { transactionId: ev.transactionId } : {}),
    originalStartTimeZone: ev.originalZoneName,
    originalEndTimeZone: ev.originalZoneName,
    iCalUId: ev.iCalUId,
    reminderMinutesBeforeStart: f.reminderMinutesBeforeStart,
    isReminderOn: f.isReminderOn,
    hasAttachments: false,
    subject: f.subject,
    bodyPreview: htmlToText(f.body.content).slice(0, 255),
    importance: f.importance,
    sensitivity: f.sensitivity,
    isAllDay: f.isAllDay,
    isCancelled: f.isCancelled,
    isOrganizer: ev.isOrganizer,
    responseRequested: f.responseRequested,
    seriesMasterId: ev.seriesMasterId ?? null,
    showAs: f.showAs,
    type: ev.type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(ev.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: f.hideAttendees,
    responseStatus: { ...ev.responseStatus },
    body: bodyFor(ev, p),
    start: formatDateTime(ev.startMs, p.timeZone),
    end: formatDateTime(ev.endMs, p.timeZone),
    location: {
      displayName: f.location.displayName,
      locationType: 'default',
      uniqueIdType: 'unknown',
      address: {},
      coordinates: {},
    },
    locations: f.location.displayName
      ? [{ displayName: f.location.displayName, locationType: 'default', uniqueIdType: 'unknown' }]
      : [],
    recurrence: ev.recurrence ? JSON.parse(JSON.stringify(ev.recurrence)) : null,
    attendees:
      f.hideAttendees && !ev.isOrganizer
        ? []
        : ev.attendees.map((a) => ({ type: a.type, status: { ...a.status }, emailAddress: { ...a.emailAddress } })),
    organizer: { emailAddress: { name: ev.organizer.name, address: ev.organizer.address } },
    onlineMeeting: null,
  };
  if (ev.originalStartMs !== undefined) out.originalStart = isoUtc(ev.originalStartMs).replace('.0000000Z', 'Z');
  if (extended) {
    const props = extended
      .filter((id) => ev.extendedProperties.has(id))
      .map((id) => ({ id, value: ev.extendedProperties.get(id)! }));
    if (props.length) out.singleValueExtendedProperties = props;
  }
  return out;
}

/** `$select`: the named properties plus the etag and id Graph always adds. */
export function selectFields(json: EventJson, select: string[] | undefined): EventJson {
  if (!select) return json;
  const out: EventJson = { '@odata.etag': json['@odata.etag'], id: json.id };
  for (const k of select) if (k in json) out[k] = json[k];
  if (json.singleValueExtendedProperties) out.singleValueExtendedProperties = json.singleValueExtendedProperties;
  return out;
}
