import type { CallFilter, CallRecord, FaultSpec, RawEvent, SeedData } from '../../test/fake-google';

export type EventData = Record<string, unknown> & { id?: string; updated?: string; status?: string };

/**
 * The emulator's control API over HTTP (its `/__control` mirror), so the bench drives an emulator in
 * another process exactly as one in this process.
 */
export class RemoteControl {
  constructor(private readonly base: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/__control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  seed(data: SeedData): Promise<void> {
    return this.call('POST', '/seed', data);
  }

  createEvent(as: string, calendarId: string, event: Record<string, unknown>): Promise<EventData> {
    return this.call('POST', '/act', { action: 'create', as, calendarId, event });
  }

  patchEvent(as: string, calendarId: string, eventId: string, event: Record<string, unknown>): Promise<EventData> {
    return this.call('POST', '/act', { action: 'patch', as, calendarId, eventId, event });
  }

  async deleteEvent(as: string, calendarId: string, eventId: string): Promise<void> {
    await this.call('POST', '/act', { action: 'delete', as, calendarId, eventId });
  }

  setAccessTokenLifetime(seconds: number): Promise<void> {
    return this.call('POST', '/access-token-lifetime', { seconds });
  }

  setLatency(ms: number): Promise<void> {
    return this.call('POST', '/latency', { ms });
  }

  setPush(o: { dropShare?: number; delayMs?: number; maxChannelTtlSec?: number }): Promise<void> {
    return this.call('POST', '/push', o);
  }

  setWriteRateLimit(calendarId: string, perSecond: number | null, status: 403 | 429 = 429): Promise<void> {
    const path = `/calendars/${encodeURIComponent(calendarId)}/rate-limit`;
    return perSecond ? this.call('POST', path, { perSecond, status }) : this.call('DELETE', path);
  }

  injectFault(spec: FaultSpec): Promise<{ id: string }> {
    return this.call('POST', '/faults', spec);
  }

  async removeFault(id: string): Promise<void> {
    await this.call('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  calls(filter: CallFilter = {}): Promise<CallRecord[]> {
    return this.call('GET', `/calls?${query(filter)}`);
  }

  callCounts(filter: CallFilter = {}): Promise<Record<string, number>> {
    return this.call('GET', `/call-counts?${query(filter)}`);
  }

  clearCalls(): Promise<void> {
    return this.call('DELETE', '/calls');
  }

  calendarState(calendarId: string): Promise<RawEvent[]> {
    return this.call('GET', `/calendars/${encodeURIComponent(calendarId)}/events`);
  }

  instanceIds(calendarId: string, seriesId: string): Promise<string[]> {
    return this.call(
      'GET',
      `/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(seriesId)}/instance-ids`,
    );
  }
}

function query(filter: CallFilter): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}
