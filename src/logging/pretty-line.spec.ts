import { JsonLogger } from './json-logger';
import { prettyLine } from './pretty-line';
import { registerSecret } from './redact';

describe('pretty log lines', () => {
  it('puts time, level, context and message first, then the fields as key=value', () => {
    const line = prettyLine({
      time: '2026-12-04T14:03:07.412Z',
      level: 'warning',
      context: 'Sync',
      msg: 'Sync failed',
      calendarId: 3,
      error: 'quota exceeded',
    });
    expect(line).toBe('14:03:07.412 WARNING [Sync] Sync failed calendarId=3 error="quota exceeded"');
  });

  it('shows an error stack on indented lines after the one line', () => {
    const line = prettyLine({
      time: '2026-12-04T14:03:07.412Z',
      level: 'error',
      msg: 'boom',
      error: { name: 'Error', message: 'boom', stack: 'Error: boom\n  at f (x.ts:1)' },
    });
    expect(line.split('\n')).toEqual(['14:03:07.412 ERROR boom error=boom', '    Error: boom', '    at f (x.ts:1)']);
  });

  it('redacts exactly as the JSON format does: the same record, another layout', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('debug', (l) => lines.push(l), 'pretty');
    registerSecret('pretty-known-secret-value');
    logger.log('token exchange', { access_token: 'ya29.leak1', body: 'refresh_token=1//leak2aaaaaaaaaa' }, 'Auth');
    logger.error(new Error('failed with Bearer ya29.leak3 and pretty-known-secret-value'), 'Sync');
    logger.warn({ headers: { authorization: 'Bearer x', cookie: 'session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc' } });
    const all = lines.join('\n');
    for (const leak of ['ya29.leak1', '1//leak2', 'ya29.leak3', 'pretty-known-secret-value', 'eyJhbGci'])
      expect(all).not.toContain(leak);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[Auth\] token exchange access_token=\[REDACTED\]/);
    expect(lines.every((l) => !l.startsWith('{'))).toBe(true);
  });
});
