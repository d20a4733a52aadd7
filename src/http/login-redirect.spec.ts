import { safeNext } from './login-redirect';

describe('safeNext', () => {
  it.each(['/app', '/app/settings?tab=mail', '/admin/users/3', '/app/connect?account=2'])(
    'keeps same-site path %s',
    (p) => {
      expect(safeNext(p)).toBe(p);
    },
  );
  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/%2f%2fevil.example',
    '/%5cevil.example',
    'http:/evil.example',
    '',
    ' /app',
    '/app\r\nSet-Cookie: x=1',
    '/app%0d%0aSet-Cookie:x',
    'evil.example/app',
  ])('refuses %j', (p) => {
    expect(safeNext(p)).toBe('/app');
  });
});
