// Field names whose values are secrets wherever they appear in a log record.
const SECRET_KEY =
  /(token|secret|password|passwd|authorization|cookie|api[-_]?key|encryption[-_]?key|client[-_]?secret|^code$|credential|private[-_]?key)/i;
// Shapes of secrets inside free text: OAuth access/refresh tokens, bearer headers, JWTs, PEM blocks.
const SECRET_TEXT: RegExp[] = [
  /Bearer\s+[A-Za-z0-9._~+/=-]+/g,
  /ya29\.[A-Za-z0-9._-]+/g,
  /1\/\/[A-Za-z0-9._-]{10,}/g,
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g,
  /([?&](?:access_token|refresh_token|code|token|client_secret)=)[^&\s"']+/gi,
];
export const REDACTED = '[REDACTED]';

/**
 * Exact secret values known at run time, in two bounded sets (most recently registered last, the oldest
 * dropped first). Static ones (the encryption key, client secret, SMTP password, refresh tokens) are few and
 * re-registered whenever they are read, so the bound only matters under abuse; access tokens change every hour
 * for every account and are kept apart so that they never push a static secret out. Without a bound the sets
 * would grow as long as the process runs and every log line would scan all of them.
 */
const knownSecrets = new Set<string>();
const rotatingSecrets = new Set<string>();
export const MAX_STATIC_SECRETS = 1024;
export const MAX_ROTATING_SECRETS = 4096;

function remember(set: Set<string>, value: string, max: number): void {
  set.delete(value);
  set.add(value);
  if (set.size > max) set.delete(set.values().next().value as string);
}

/** Register a value only once it is known to be a real secret (validated or stored), never raw input. */
export function registerSecret(value: string | null | undefined, kind: 'static' | 'rotating' = 'static'): void {
  if (!value || value.length < 6) return;
  if (kind === 'static') remember(knownSecrets, value, MAX_STATIC_SECRETS);
  else remember(rotatingSecrets, value, MAX_ROTATING_SECRETS);
}

/** How many values each set holds (the security suite checks that anonymous input leaves them flat). */
export function registeredSecretCounts(): { static: number; rotating: number } {
  return { static: knownSecrets.size, rotating: rotatingSecrets.size };
}

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join(REDACTED);
  for (const secret of rotatingSecrets) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_TEXT) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED,
    );
  }
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack ? redactText(value.stack) : undefined,
    };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] =
        SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' && typeof v !== 'number'
          ? REDACTED
          : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
