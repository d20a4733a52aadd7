/** Fields every record has; shown as the line's head rather than as key=value. */
const HEAD_FIELDS = new Set(['time', 'level', 'context', 'msg']);
const MAX_VALUE_CHARS = 200;

function scalar(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const short = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
  // Quoted only when needed, so `calendarId=12` stays easy to read and `error="a b"` stays one value.
  return /^[^\s"=]+$/.test(short) ? short : JSON.stringify(short);
}

/**
 * One already-redacted log record as one short line for a person at a terminal:
 * `14:03:07.412 WARN  [Sync] Sync of calendar 3 failed calendarId=3 error="..."`. A stack trace, when
 * there is one, follows on indented lines: it is the one thing worth more than a line.
 */
export function prettyLine(record: Record<string, unknown>): string {
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = String(record.level ?? 'info')
    .toUpperCase()
    .padEnd(5);
  const context = record.context ? ` [${String(record.context)}]` : '';
  const msg = typeof record.msg === 'string' ? record.msg : scalar(record.msg);
  const extras: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (HEAD_FIELDS.has(key) || value === undefined) continue;
    if (key === 'stack' && typeof value === 'string') stack = value;
    else if (key === 'error' && value && typeof value === 'object' && 'message' in value) {
      const error = value as { message?: unknown; stack?: unknown };
      extras.push(`error=${scalar(error.message)}`);
      if (typeof error.stack === 'string') stack = error.stack;
    } else extras.push(`${key}=${scalar(value)}`);
  }
  const line = [`${time} ${level}${context} ${msg}`, ...extras].join(' ');
  return stack
    ? `${line}\n${stack
        .split('\n')
        .map((l) => `    ${l.trim()}`)
        .join('\n')}`
    : line;
}
