import { JsonLogger } from './json-logger';
import { REDACTED, redact, redactText, registerSecret } from './redact';

describe('log redaction', () => {
  it.each([
    ['Authorization: Bearer ya29.a0AfH6SMBx-secret', 'ya29.a0AfH6SMBx'],
    ['refresh 1//0gLsecretRefreshTokenValue', '1//0gLsecret'],
    ['GET /token?code=4/0AY0e-g7secret&state=x', '4/0AY0e-g7secret'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig_part-here', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('removes secret shapes from text: %s', (input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('removes values of secret-named fields at any depth, keeps the rest', () => {
    const out = redact({
      user: 'a@b.c',
      nested: { refresh_token: 'abc', clientSecret: 'xyz', count: 3 },
      list: [{ password: 'p' }],
    });
    expect(out).toEqual({
      user: 'a@b.c',
      nested: { refresh_token: REDACTED, clientSecret: REDACTED, count: 3 },
      list: [{ password: REDACTED }],
    });
  });

  it('removes registered secret values wherever they appear', () => {
    registerSecret('s3cr3t-smtp-password');
    expect(redactText('login failed for s3cr3t-smtp-password at host')).toBe(`login failed for ${REDACTED} at host`);
  });

  it('the JSON logger never prints a token, secret or key, in messages, fields or errors', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('debug', (l) => lines.push(l));
    registerSecret('c2VjcmV0LWVuY3J5cHRpb24ta2V5LWJhc2U2NA==');
    logger.log('token exchange', { access_token: 'ya29.leak1', body: 'refresh_token=1//leak2aaaaaaaaaa' }, 'Auth');
    logger.error(new Error('failed with Bearer ya29.leak3'), 'Sync');
    logger.debug('key c2VjcmV0LWVuY3J5cHRpb24ta2V5LWJhc2U2NA== loaded');
    logger.warn({ headers: { authorization: 'Bearer x', cookie: 'session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc' } });
    const all = lines.join('\n');
    for (const leak of [
      'ya29.leak1',
      '1//leak2',
      'ya29.leak3',
      'c2VjcmV0LWVuY3J5cHRpb24ta2V5LWJhc2U2NA==',
      'eyJhbGci',
    ]) {
      expect(all).not.toContain(leak);
    }
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', context: 'Auth', msg: 'token exchange' });
  });

  it('respects the level', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('warning', (l) => lines.push(l));
    logger.log('info is hidden');
    logger.debug('debug is hidden');
    logger.warn('shown');
    expect(lines).toHaveLength(1);
  });
});
