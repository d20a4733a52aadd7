import { isSmtpHost } from './smtp-settings';

// The one host rule the wizard, the admin API and the admin form all use.
describe('isSmtpHost', () => {
  it.each([
    'smtp.gmail.com',
    'localhost',
    'mail-relay',
    'smtp.example.com.',
    '127.0.0.1',
    '::1',
    '[::1]',
    '[2001:db8::25]',
    'xn--bcher-kva.example',
  ])('accepts %s', (host) => expect(isSmtpHost(host)).toBe(true));
  it.each([
    '',
    ' ',
    'a b',
    'evil.example:25',
    'evil.example/x',
    'user@evil.example',
    '-evil.example',
    'evil-.example',
    'evil..example',
    '[evil.example]',
    '[127.0.0.1]',
    'x'.repeat(254),
    `${'a'.repeat(64)}.example`,
  ])('refuses %j', (host) => expect(isSmtpHost(host)).toBe(false));
});
