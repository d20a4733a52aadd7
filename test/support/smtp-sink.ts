import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** MAIL FROM commands seen, refused or not: every delivery attempt. */
  attempts: number;
  /** Refuse the next n deliveries with a temporary 451. */
  refuseNext(n: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server on a free local port (no TLS), requiring AUTH when credentials are given. */
export async function startSmtpSink(auth?: { username: string; password: string }): Promise<SmtpSink> {
  let refusals = 0;
  const sink: Omit<SmtpSink, 'port'> & { port: number } = {
    port: 0,
    received: [],
    attempts: 0,
    refuseNext(n) {
      refusals = n;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (sink.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} mails, got ${sink.received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return sink.received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.username && credentials.password === auth.password) {
        callback(null, { user: credentials.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onMailFrom(_address, _session, callback) {
      sink.attempts++;
      if (refusals > 0) {
        refusals--;
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        sink.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parseMime(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.port = (server.server.address() as AddressInfo).port;
  return sink;
}

/** Just enough MIME for nodemailer's output: headers, one level of multipart, QP and base64 parts. */
function parseMime(raw: string): { subject: string; text: string; html: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = unfold(head);
  const body = rest.join('\r\n\r\n');
  const subject = decodeWords(headers['subject'] ?? '');
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts: Array<{ type: string; content: string }> = [];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const [partHead, ...partBody] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      const h = unfold(partHead);
      parts.push({
        type: h['content-type'] ?? 'text/plain',
        content: decode(partBody.join('\r\n\r\n'), h['content-transfer-encoding']),
      });
    }
  } else {
    parts.push({ type, content: decode(body, headers['content-transfer-encoding']) });
  }
  return {
    subject,
    text: parts.find((p) => p.type.startsWith('text/plain'))?.content ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.content ?? '',
  };
}

function unfold(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decode(content: string, encoding = '7bit'): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const s = content.replace(/=\r?\n/g, '');
    const bytes: Buffer[] = [];
    for (let i = 0; i < s.length; i++) {
      const hex = s.slice(i + 1, i + 3);
      if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(Buffer.from([parseInt(hex, 16)]));
        i += 2;
      } else {
        bytes.push(Buffer.from(s[i], 'utf8'));
      }
    }
    return Buffer.concat(bytes).toString('utf8');
  }
  return content;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decode(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}
