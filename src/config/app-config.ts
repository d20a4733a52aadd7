import { isIP } from 'node:net';
import * as path from 'node:path';

/** Every setting the product reads from the environment, typed. Read once at boot (see loadConfig). */
export interface AppConfig {
  port: number;
  host: string;
  databasePath: string;
  encryptionKeyFile: string;
  publicUrl: string;
  logLevel: LogLevel;
  tz: string;
  managedEventPrefix: string;
  /** Undefined means real Google. */
  googleBaseUrl?: string;
  /** Undefined means real Microsoft (login.microsoftonline.com and graph.microsoft.com). */
  microsoftBaseUrl?: string;
  syncPollSeconds: number;
  syncLookbackDays: number;
  /** Scheduled jobs (poll, renewal, consistency, retention, refresh, alerts). Tests switch them off for quiet call logs. */
  jobsEnabled: boolean;
  /** Addresses whose X-Forwarded-For/-Proto are believed (proxy-addr syntax); false = none. */
  trustProxy: string | false;
  /** The one-time token that opens the setup wizard; undefined: one is generated at start. */
  setupToken?: string;
  /** Absolute session lifetime from sign-in, however active the session. */
  sessionMaxDays: number;
  /** Bearer token for GET /metrics; undefined: the route answers 404. */
  metricsToken?: string;
  /** `pretty` (one short line per event, for people) or `json` (for collectors). */
  logFormat: LogFormat;
}

export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A bad environment value: one line naming the variable, printed before the process stops. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, fallback: string | undefined): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `must use http or https, got "${parsed.protocol}"`);
  }
  if (parsed.search || parsed.hash) throw new ConfigError(name, 'must not contain a query or fragment');
  return raw.replace(/\/+$/, '');
}

function timeZone(env: Env, name: string): string {
  const raw = env[name] || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Europe/Berlin, got "${raw}"`);
  }
  return raw;
}

function logLevel(env: Env): LogLevel {
  const raw = (env.LOG_LEVEL || 'info').toLowerCase();
  const normalised = raw === 'warn' ? 'warning' : raw;
  if (!(LOG_LEVELS as readonly string[]).includes(normalised)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return normalised as LogLevel;
}

/** Unset: pretty when stdout is a terminal (someone running `npm start`), JSON for collectors otherwise. */
function logFormat(env: Env, isTerminal: boolean): LogFormat {
  const raw = (env.LOG_FORMAT ?? '').trim().toLowerCase();
  if (raw === '') return isTerminal ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}, got "${env.LOG_FORMAT}"`);
  }
  return raw as LogFormat;
}

/** A bearer token guessed in a few tries is no protection: at least 16 characters, no spaces. */
function metricsToken(env: Env): string | undefined {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16 || raw.length > 512 || /\s/.test(raw)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 16 to 512 characters without spaces');
  }
  return raw;
}

function nonEmpty(env: Env, name: string, fallback: string, maxLength: number): string {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') throw new ConfigError(name, 'must not be empty');
  if (raw.length > maxLength) throw new ConfigError(name, `must be at most ${maxLength} characters`);
  return raw;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Only the reverse proxy may tell us the client's address and scheme: trusting X-Forwarded-* from anyone
 * lets a client pick its own address (and dodge the per-IP rate limit) or claim https.
 */
function trustProxy(env: Env): string | false {
  const raw = (env.TRUST_PROXY ?? 'loopback').trim();
  if (raw === '' || raw.toLowerCase() === 'none') return false;
  const entries = raw.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const version = isIP(address);
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32));
    if (PROXY_NAMES.includes(entry) || (version !== 0 && bitsOk && extra === undefined)) continue;
    throw new ConfigError(
      'TRUST_PROXY',
      `must be none, or a comma-separated list of ${PROXY_NAMES.join(', ')}, IP addresses or CIDR ranges, got "${entry}"`,
    );
  }
  return entries.join(',');
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

/** Long enough not to be guessed within the wizard's try limit, short enough to type. */
function setupToken(env: Env): string | undefined {
  const raw = env.SETUP_TOKEN;
  if (raw === undefined || raw === '') return undefined;
  const value = raw.trim();
  if (value.length < 16 || value.length > 200 || /\s/.test(value)) {
    throw new ConfigError('SETUP_TOKEN', 'must be 16 to 200 characters without spaces');
  }
  return value;
}

export function loadConfig(env: Env = process.env, isTerminal = process.stdout.isTTY === true): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env, 'HOST', '0.0.0.0', 255),
    databasePath: path.resolve(nonEmpty(env, 'DATABASE_PATH', './data/calendar-sync.db', 4096)),
    encryptionKeyFile: path.resolve(nonEmpty(env, 'ENCRYPTION_KEY_FILE', './secrets/encryption.key', 4096)),
    publicUrl: url(env, 'PUBLIC_URL', 'http://localhost:3000') as string,
    logLevel: logLevel(env),
    tz: timeZone(env, 'TZ'),
    managedEventPrefix: nonEmpty(env, 'MANAGED_EVENT_PREFIX', '[BusyBridge]', 64),
    googleBaseUrl: url(env, 'GOOGLE_BASE_URL', undefined),
    microsoftBaseUrl: url(env, 'MICROSOFT_BASE_URL', undefined),
    syncPollSeconds: integer(env, 'SYNC_POLL_SECONDS', 300, 1, 86400),
    syncLookbackDays: integer(env, 'SYNC_LOOKBACK_DAYS', 30, 0, 3650),
    jobsEnabled: boolean(env, 'JOBS_ENABLED', true),
    trustProxy: trustProxy(env),
    setupToken: setupToken(env),
    sessionMaxDays: integer(env, 'SESSION_MAX_DAYS', 30, 1, 365),
    metricsToken: metricsToken(env),
    logFormat: logFormat(env, isTerminal),
  };
}

/** Nest injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
