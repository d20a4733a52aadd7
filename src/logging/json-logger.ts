import { LoggerService } from '@nestjs/common';
import { LogFormat, LogLevel } from '../config/app-config';
import { prettyLine } from './pretty-line';
import { redact, redactText } from './redact';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };
type Sink = (line: string) => void;

/**
 * One record per line on stdout, every field passed through redaction first: a JSON object for
 * collectors, or (LOG_FORMAT=pretty) a short line for a person. Both are made from the same redacted
 * record, so the format never decides what is hidden. Nest's own messages arrive through the
 * LoggerService methods; our code calls them with (message, fields) or (message, context).
 */
export class JsonLogger implements LoggerService {
  constructor(
    private level: LogLevel = 'info',
    private readonly sink: Sink = (l) => process.stdout.write(l + '\n'),
    private readonly format: LogFormat = 'json',
  ) {}

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warning', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level };
    const last = rest[rest.length - 1];
    // Nest passes the context (class name) as the last string argument.
    if (typeof last === 'string') {
      record.context = last;
      rest = rest.slice(0, -1);
    }
    if (message instanceof Error) {
      record.msg = redactText(message.message);
      record.error = redact(message);
    } else if (typeof message === 'string') {
      record.msg = redactText(message);
    } else {
      record.msg = redact(message);
    }
    for (const extra of rest) {
      if (extra && typeof extra === 'object' && !(extra instanceof Error))
        Object.assign(record, redact(extra) as object);
      else if (extra instanceof Error) record.error = redact(extra);
      else if (typeof extra === 'string' && extra.includes('\n')) record.stack = redactText(extra);
    }
    this.sink(this.format === 'pretty' ? prettyLine(record) : JSON.stringify(record));
  }
}
