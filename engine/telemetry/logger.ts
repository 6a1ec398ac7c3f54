// Structured JSON lines on stderr (pino's shape: level, time, msg, bindings); secrets and whole events never leave.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `bindings` (e.g. `{ source: 'hec' }`). */
  child(bindings: LogFields): Logger;
}

export interface LoggerOptions {
  /** Falls back to TAILWATCH_LOG_LEVEL, then `info`. */
  level?: LogLevel | undefined;
  /** Where lines go (default process.stderr). */
  destination?: { write(line: string): unknown };
  env?: Readonly<Record<string, string | undefined>>;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|passwd|authorization|cookie|api[-_]?key|credential|webhook/i;
// Slack incoming-webhook URLs are bearer secrets whatever key they sit under.
const SLACK_WEBHOOK = /^https?:\/\/hooks\.slack(-gov)?\.com\//i;
// Whole records stay out of logs above debug: they may hold personal data and flood the log.
const RECORD_KEY = new Set(['event', 'record', 'raw', 'body', 'log']);

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const fromEnv = env.TAILWATCH_LOG_LEVEL?.toLowerCase();
  const level = options.level ?? (isLogLevel(fromEnv) ? fromEnv : 'info');
  return new JsonLogger(level, options.destination ?? process.stderr, '');
}

class JsonLogger implements Logger {
  readonly level: LogLevel;
  private readonly destination: { write(line: string): unknown };
  /** Bindings already serialised as `,"k":v` so a line costs one stringify of its own fields. */
  private readonly boundJson: string;

  constructor(level: LogLevel, destination: { write(line: string): unknown }, boundJson: string) {
    this.level = level;
    this.destination = destination;
    this.boundJson = boundJson;
  }

  debug(msg: string, fields?: LogFields): void { this.write('debug', msg, fields); }
  info(msg: string, fields?: LogFields): void { this.write('info', msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.write('warn', msg, fields); }
  error(msg: string, fields?: LogFields): void { this.write('error', msg, fields); }

  child(bindings: LogFields): Logger {
    return new JsonLogger(this.level, this.destination, this.boundJson + fieldsJson(bindings, false));
  }

  private write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (RANK[level] < RANK[this.level]) return;
    const own = fields === undefined ? '' : fieldsJson(fields, level === 'debug');
    this.destination.write(
      `{"level":"${level}","time":"${new Date().toISOString()}","msg":${JSON.stringify(msg)}${this.boundJson}${own}}\n`,
    );
  }
}

function fieldsJson(fields: LogFields, allowRecords: boolean): string {
  let out = '';
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined) continue;
    const safe = !allowRecords && RECORD_KEY.has(key) ? '[omitted]' : redact(key, value);
    out += `,${JSON.stringify(key)}:${JSON.stringify(safe, redact) ?? 'null'}`;
  }
  return out;
}

function redact(key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (key !== '' && SECRET_KEY.test(key) && value != null) return '[redacted]';
  if (typeof value === 'string' && SLACK_WEBHOOK.test(value)) return '[redacted]';
  return value;
}
