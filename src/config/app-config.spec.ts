import * as path from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults (docs/configuration.md)', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      tz: 'UTC',
      managedEventPrefix: '[BusyBridge]',
      googleBaseUrl: undefined,
      syncPollSeconds: 300,
      syncLookbackDays: 30,
      trustProxy: 'loopback',
      setupToken: undefined,
      sessionMaxDays: 30,
    });
    expect(c.databasePath).toBe(path.resolve('data/calendar-sync.db'));
    expect(c.encryptionKeyFile).toBe(path.resolve('secrets/encryption.key'));
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_PATH: '/data/x.db',
      ENCRYPTION_KEY_FILE: '/secrets/k',
      PUBLIC_URL: 'https://sync.example.com/',
      LOG_LEVEL: 'DEBUG',
      TZ: 'America/Chicago',
      MANAGED_EVENT_PREFIX: '[Sync]',
      GOOGLE_BASE_URL: 'http://127.0.0.1:4000',
      SYNC_POLL_SECONDS: '5',
      SYNC_LOOKBACK_DAYS: '7',
      TRUST_PROXY: '10.0.0.2, 192.168.0.0/16',
      JOBS_ENABLED: 'false',
      SETUP_TOKEN: 'a-long-enough-setup-token',
      SESSION_MAX_DAYS: '14',
      METRICS_TOKEN: 'scrape-me-0123456789',
      LOG_FORMAT: 'Pretty',
    });
    expect(c).toEqual({
      port: 8080,
      host: '127.0.0.1',
      databasePath: '/data/x.db',
      encryptionKeyFile: '/secrets/k',
      publicUrl: 'https://sync.example.com',
      logLevel: 'debug',
      tz: 'America/Chicago',
      managedEventPrefix: '[Sync]',
      googleBaseUrl: 'http://127.0.0.1:4000',
      syncPollSeconds: 5,
      syncLookbackDays: 7,
      trustProxy: '10.0.0.2,192.168.0.0/16',
      jobsEnabled: false,
      setupToken: 'a-long-enough-setup-token',
      sessionMaxDays: 14,
      metricsToken: 'scrape-me-0123456789',
      logFormat: 'pretty',
    });
  });

  it('reads MICROSOFT_BASE_URL (the emulator) and leaves it unset for real Microsoft', () => {
    expect(loadConfig({}).microsoftBaseUrl).toBeUndefined();
    expect(loadConfig({ MICROSOFT_BASE_URL: 'http://127.0.0.1:4100/' }).microsoftBaseUrl).toBe('http://127.0.0.1:4100');
  });

  it('logs for people on a terminal and JSON for collectors unless LOG_FORMAT says', () => {
    expect(loadConfig({}, true).logFormat).toBe('pretty');
    expect(loadConfig({}, false).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat).toBe('json');
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });

  it('trusts X-Forwarded-* only from TRUST_PROXY (none turns it off)', () => {
    expect(loadConfig({ TRUST_PROXY: 'none' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback,172.17.0.1,fd00::/8' }).trustProxy).toBe('loopback,172.17.0.1,fd00::/8');
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a whole number, got "abc"'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT must be between 0 and 65535, got 70000'],
    [
      { PUBLIC_URL: 'calendar.example.com' },
      'Invalid configuration: PUBLIC_URL must be an absolute http(s) URL, got "calendar.example.com"',
    ],
    [{ PUBLIC_URL: 'ftp://x.example' }, 'Invalid configuration: PUBLIC_URL must use http or https, got "ftp:"'],
    [{ GOOGLE_BASE_URL: 'nope' }, 'Invalid configuration: GOOGLE_BASE_URL must be an absolute http(s) URL, got "nope"'],
    [
      { MICROSOFT_BASE_URL: 'nope' },
      'Invalid configuration: MICROSOFT_BASE_URL must be an absolute http(s) URL, got "nope"',
    ],
    [{ LOG_LEVEL: 'loud' }, 'Invalid configuration: LOG_LEVEL must be one of debug, info, warning, error, got "loud"'],
    [
      { TZ: 'Mars/Olympus' },
      'Invalid configuration: TZ must be an IANA time zone such as Europe/Berlin, got "Mars/Olympus"',
    ],
    [{ JOBS_ENABLED: 'maybe' }, 'Invalid configuration: JOBS_ENABLED must be true or false, got "maybe"'],
    [{ SYNC_POLL_SECONDS: '0' }, 'Invalid configuration: SYNC_POLL_SECONDS must be between 1 and 86400, got 0'],
    [{ SYNC_LOOKBACK_DAYS: '-1' }, 'Invalid configuration: SYNC_LOOKBACK_DAYS must be a whole number, got "-1"'],
    [{ MANAGED_EVENT_PREFIX: '  ' }, 'Invalid configuration: MANAGED_EVENT_PREFIX must not be empty'],
    [{ SETUP_TOKEN: 'short' }, 'Invalid configuration: SETUP_TOKEN must be 16 to 200 characters without spaces'],
    [{ SESSION_MAX_DAYS: '0' }, 'Invalid configuration: SESSION_MAX_DAYS must be between 1 and 365, got 0'],
    [
      { TRUST_PROXY: 'true' },
      'Invalid configuration: TRUST_PROXY must be none, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or CIDR ranges, got "true"',
    ],
    [{ LOG_FORMAT: 'xml' }, 'Invalid configuration: LOG_FORMAT must be one of pretty, json, got "xml"'],
    [{ METRICS_TOKEN: 'short' }, 'Invalid configuration: METRICS_TOKEN must be 16 to 512 characters without spaces'],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'Invalid configuration: TRUST_PROXY must be none, or a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or CIDR ranges, got "10.0.0.0/33"',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
