/**
 * Which Calendar API method a request was, from its HTTP method and path alone: labels must be a small
 * fixed set (never a calendar id, which is often an email address), and the call log of the provider
 * names calls the same way (`events.list`, `calendarList.get`...).
 */
const ROUTES: Array<{ method: string; path: RegExp; name: string }> = [
  { method: 'GET', path: /\/users\/me\/calendarList$/, name: 'calendarList.list' },
  { method: 'GET', path: /\/users\/me\/calendarList\/[^/]+$/, name: 'calendarList.get' },
  { method: 'POST', path: /\/calendars\/[^/]+\/events\/watch$/, name: 'events.watch' },
  { method: 'GET', path: /\/calendars\/[^/]+\/events$/, name: 'events.list' },
  { method: 'POST', path: /\/calendars\/[^/]+\/events$/, name: 'events.insert' },
  { method: 'GET', path: /\/calendars\/[^/]+\/events\/[^/]+\/instances$/, name: 'events.instances' },
  { method: 'GET', path: /\/calendars\/[^/]+\/events\/[^/]+$/, name: 'events.get' },
  { method: 'PUT', path: /\/calendars\/[^/]+\/events\/[^/]+$/, name: 'events.update' },
  { method: 'PATCH', path: /\/calendars\/[^/]+\/events\/[^/]+$/, name: 'events.patch' },
  { method: 'DELETE', path: /\/calendars\/[^/]+\/events\/[^/]+$/, name: 'events.delete' },
  { method: 'GET', path: /\/calendars\/[^/]+$/, name: 'calendars.get' },
  { method: 'POST', path: /\/channels\/stop$/, name: 'channels.stop' },
];

/** Every method name the label can take besides `other`. */
export const GOOGLE_METHOD_NAMES = ROUTES.map((r) => r.name);

export function googleMethodName(httpMethod: string | undefined, url: string | URL | undefined): string {
  if (!url) return 'other';
  let path: string;
  try {
    path = new URL(String(url)).pathname;
  } catch {
    return 'other';
  }
  const verb = (httpMethod ?? 'GET').toUpperCase();
  return ROUTES.find((r) => r.method === verb && r.path.test(path))?.name ?? 'other';
}

/** `2xx`, `4xx`, `5xx`..., or `network` when no answer came back (timeout, reset, refused). */
export function statusClass(status: number | undefined): string {
  if (!status || status < 100 || status > 599) return 'network';
  return `${Math.floor(status / 100)}xx`;
}
