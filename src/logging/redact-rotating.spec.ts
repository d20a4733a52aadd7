import {
  MAX_ROTATING_SECRETS,
  MAX_STATIC_SECRETS,
  REDACTED,
  redactText,
  registeredSecretCounts,
  registerSecret,
} from './redact';

// Access tokens are re-registered every refresh, for every account, for as long as the process lives.
describe('rotating secrets (access tokens)', () => {
  it('are redacted while recent, bounded in number, and never push out a static secret', () => {
    registerSecret('static-encryption-key-value');
    for (let i = 0; i <= MAX_ROTATING_SECRETS + 10; i++) registerSecret(`access-token-${i}-xxxxxxxx`, 'rotating');
    const newest = `access-token-${MAX_ROTATING_SECRETS + 10}-xxxxxxxx`;
    expect(redactText(`a ${newest} b`)).toBe(`a ${REDACTED} b`);
    expect(redactText('key static-encryption-key-value')).toBe(`key ${REDACTED}`);
    // The oldest ones fell out of the bounded set (they expired long ago at Google).
    expect(redactText('old access-token-0-xxxxxxxx')).toBe('old access-token-0-xxxxxxxx');
  });

  it('re-registering a token keeps it among the most recent', () => {
    registerSecret('keep-me-token-value', 'rotating');
    for (let i = 0; i < MAX_ROTATING_SECRETS - 1; i++) {
      registerSecret(`filler-${i}-yyyyyyyy`, 'rotating');
      if (i % 1000 === 0) registerSecret('keep-me-token-value', 'rotating');
    }
    expect(redactText('keep-me-token-value')).toBe(REDACTED);
  });
});

describe('static secrets', () => {
  it('are bounded too, and a secret read again stays among the kept ones', () => {
    registerSecret('the-encryption-key-value');
    for (let i = 0; i < MAX_STATIC_SECRETS + 50; i++) {
      registerSecret(`static-filler-${i}-zzzzzzzz`);
      if (i % 500 === 0) registerSecret('the-encryption-key-value');
    }
    expect(registeredSecretCounts().static).toBe(MAX_STATIC_SECRETS);
    expect(redactText('the-encryption-key-value')).toBe(REDACTED);
    expect(redactText('static-filler-0-zzzzzzzz')).toBe('static-filler-0-zzzzzzzz');
  });
});
