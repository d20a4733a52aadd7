import { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Body parsers both providers need: form bodies for the token endpoint (a tiny parser avoids a dependency),
 * JSON that tolerates an empty body (clients send DELETE with a JSON type and nothing in it), anything else as text.
 */
export function installBodyParsers(app: FastifyInstance, invalidJson: () => Error): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, raw, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(raw)))),
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, raw, done) => {
    const text = String(raw);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(invalidJson(), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, raw, done) => done(null, String(raw) || undefined));
}

/** OAuth client credentials: an HTTP Basic header wins over the body, as client_secret_basic is explicit. */
export function clientCredentials(
  req: FastifyRequest,
  body: Record<string, string | undefined>,
): [string | undefined, string | undefined] {
  const m = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return [body.client_id, body.client_secret];
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return [decodeURIComponent(decoded.slice(0, i)), decodeURIComponent(decoded.slice(i + 1))];
}

/** A started emulator: its base URL (no trailing slash), its control object, and how to stop it. */
export interface RunningEmulator<Control> {
  url: string;
  control: Control;
  close(): Promise<void>;
}

export interface StartOptions extends ListenOptions {
  /** Default 'none': tests seed exactly what they need. */
  seed?: 'demo' | 'none';
}

export interface ListenOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Base URL to advertise when it differs from the listen address. */
  publicUrl?: string;
}

/** Listens and answers the base URL the emulator advertises (no trailing slash). */
export async function listen(app: FastifyInstance, opts: ListenOptions): Promise<string> {
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return (opts.publicUrl ?? url).replace(/\/$/, '');
}

/** For the `npm run emulator*` entry points: print, then close cleanly on Ctrl-C or SIGTERM. */
export function runUntilSignal(lines: string[], close: () => Promise<void>): void {
  for (const line of lines) console.log(line);
  const stop = () => void close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
