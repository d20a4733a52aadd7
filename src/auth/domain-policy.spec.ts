import { checkHomeDomain, setupAdminDomain } from './domain-policy';

const ok = { emailVerified: true };

describe('checkHomeDomain', () => {
  it.each([
    ['ann@home.example', 'home.example'],
    ['Ann@HOME.Example', 'home.example'],
    ['ann@home.example', 'HOME.EXAMPLE'],
  ])('admits %s with hd %s', (email, hd) => {
    expect(checkHomeDomain({ ...ok, email, hd }, 'home.example')).toBeNull();
  });

  it.each([
    ['another Workspace', { ...ok, email: 'cat@client.example', hd: 'client.example' }, 'domain'],
    ['a consumer look-alike', { ...ok, email: 'ann@home.example', hd: undefined }, 'consumer'],
    ['a consumer account', { ...ok, email: 'home.example@gmail.com', hd: undefined }, 'consumer'],
    ['an unverified email', { emailVerified: false, email: 'ann@home.example', hd: 'home.example' }, 'unverified'],
    ['a subdomain address with the home hd', { ...ok, email: 'ann@sub.home.example', hd: 'home.example' }, 'domain'],
    ['a subdomain Workspace', { ...ok, email: 'ann@sub.home.example', hd: 'sub.home.example' }, 'domain'],
    ['a suffix look-alike', { ...ok, email: 'ann@evilhome.example', hd: 'evilhome.example' }, 'domain'],
    ['the home hd with a foreign email', { ...ok, email: 'ann@evil.example', hd: 'home.example' }, 'domain'],
    ['two @ signs', { ...ok, email: 'ann@evil.example@home.example', hd: 'home.example' }, 'domain'],
    ['an empty local part', { ...ok, email: '@home.example', hd: 'home.example' }, 'domain'],
  ])('refuses %s', (_name, claims, refusal) => {
    expect(checkHomeDomain(claims, 'home.example')).toBe(refusal);
  });
});

describe('setupAdminDomain', () => {
  it('takes the domain from hd, lower-cased', () => {
    expect(setupAdminDomain({ ...ok, email: 'Admin@Home.Example', hd: 'Home.Example' })).toEqual({
      domain: 'home.example',
    });
  });
  it('refuses consumer and unverified accounts', () => {
    expect(setupAdminDomain({ ...ok, email: 'me@gmail.com' })).toEqual({ refusal: 'setup-consumer' });
    expect(setupAdminDomain({ emailVerified: false, email: 'a@home.example', hd: 'home.example' })).toEqual({
      refusal: 'setup-unverified',
    });
  });
});
