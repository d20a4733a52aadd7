import { googleMethodName, statusClass } from './google-call-names';

describe('Google call labels', () => {
  const root = 'http://127.0.0.1:4000/calendar/v3';
  it.each([
    ['GET', `${root}/users/me/calendarList?maxResults=250`, 'calendarList.list'],
    ['GET', `${root}/users/me/calendarList/ann%40client.example`, 'calendarList.get'],
    ['GET', `${root}/calendars/ann%40client.example/events?syncToken=x`, 'events.list'],
    ['POST', `${root}/calendars/primary/events?sendUpdates=none`, 'events.insert'],
    ['POST', `${root}/calendars/primary/events/watch`, 'events.watch'],
    ['GET', `${root}/calendars/primary/events/abc123`, 'events.get'],
    ['PUT', `${root}/calendars/primary/events/abc123`, 'events.update'],
    ['PATCH', `${root}/calendars/primary/events/abc123`, 'events.patch'],
    ['DELETE', `${root}/calendars/primary/events/abc123`, 'events.delete'],
    ['GET', `${root}/calendars/primary/events/abc123/instances`, 'events.instances'],
    ['POST', `${root}/channels/stop`, 'channels.stop'],
    ['GET', 'not a url', 'other'],
  ])('%s %s is %s (never the calendar id)', (method, url, name) => {
    expect(googleMethodName(method, url)).toBe(name);
  });

  it('groups statuses into classes', () => {
    expect([200, 204, 403, 429, 503, undefined, 0].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '4xx',
      '4xx',
      '5xx',
      'network',
      'network',
    ]);
  });
});
