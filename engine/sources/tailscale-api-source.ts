// Polls Tailscale's logging API (works on every plan for configuration audit logs; network flow logs need a plan
// that has them): GET /api/v2/tailnet/{tailnet}/logging/{configuration|network}?start=&end= in RFC 3339 windows that
// end delaySeconds behind now. Windows and the identities that make an edge record count once are in
// api-log-windows.ts; each batch's checkpoint is committed with its records, so a restart resumes where it stopped.
import { z } from 'zod';
import type { DecodeResult } from '../decode/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { ApiAuth, resolveCredentials } from '../tailscale-api/auth.ts';
import { DEFAULT_API_BASE_URL, TailscaleApiClient, abortableDelay } from '../tailscale-api/client.ts';
import { ApiLogPosition, firstPosition, nextWindow, recordIdentity, rfc3339 } from './api-log-windows.ts';
import type { ApiWindow, WindowSettings } from './api-log-windows.ts';
import { parseCheckpoint } from './checkpoints.ts';
import { retryDelaySeconds } from './retry.ts';
import { SourceName, TailnetName, commonOptions } from './source-config.ts';
import type { SourceBuildContext } from './source-config.ts';
import type { BatchHandler, Source, SourceHealth, SourceLag } from './types.ts';

/** Each log: its path under /tailnet/{tailnet}/ and the OAuth scope that reads it. */
export const API_LOGS = {
  configuration: { resource: 'logging/configuration', scope: 'logs:configuration:read' },
  network: { resource: 'logging/network', scope: 'logs:network:read' },
} as const;
export type ApiLog = keyof typeof API_LOGS;

export const TAILSCALE_API_DEFAULTS = {
  logs: ['configuration'] as ApiLog[],
  pollSeconds: 60,
  windowSeconds: 300,
  delaySeconds: 120,
  timeoutSeconds: 30,
  maxAttempts: 4,
  retryMaxSeconds: 300,
  batchRecords: 1000,
};

export const TailscaleApiSourceConfig = z.strictObject({
  kind: z.literal('tailscale-api'),
  name: SourceName,
  /** p_tailnet of the events, as on every source (default "default"). */
  tailnet: TailnetName,
  /** The tailnet in the API's paths: `-` (the credential's own tailnet, the default) or its tailnet ID. */
  tailnetId: z.string().regex(/^[A-Za-z0-9._@-]+$/, 'a tailnet ID, or - for the credential\'s own').optional(),
  auth: ApiAuth,
  logs: z.array(z.enum(['configuration', 'network'])).min(1).refine((logs) => new Set(logs).size === logs.length, 'each log once').default(TAILSCALE_API_DEFAULTS.logs),
  /** Where the first start begins (RFC 3339); default: the time of the first start, less delaySeconds. */
  since: z.iso.datetime({ offset: true }).optional(),
  pollSeconds: z.number().positive().default(TAILSCALE_API_DEFAULTS.pollSeconds),
  /** The longest window one request asks for (a backfill goes window by window). */
  windowSeconds: z.number().int().positive().default(TAILSCALE_API_DEFAULTS.windowSeconds),
  delaySeconds: z.number().int().nonnegative().default(TAILSCALE_API_DEFAULTS.delaySeconds),
  baseUrl: z.url().default(DEFAULT_API_BASE_URL),
  timeoutSeconds: z.number().positive().default(TAILSCALE_API_DEFAULTS.timeoutSeconds),
  retryMaxSeconds: z.number().positive().default(TAILSCALE_API_DEFAULTS.retryMaxSeconds),
});
export type TailscaleApiSourceConfig = z.infer<typeof TailscaleApiSourceConfig>;

export interface TailscaleApiSourceOptions extends WindowSettings {
  name: string;
  client: TailscaleApiClient;
  logs: readonly ApiLog[];
  pollSeconds: number;
  retryMaxSeconds: number;
  sinceMs?: number;
  checkpoints?: ReadonlyMap<string, string>;
  batchRecords?: number;
  logger?: Logger;
}

export function createTailscaleApiSource(config: TailscaleApiSourceConfig, context: SourceBuildContext): TailscaleApiSource {
  const { logger } = context;
  const client = new TailscaleApiClient({
    baseUrl: config.baseUrl,
    tailnet: config.tailnetId ?? '-',
    credentials: resolveCredentials(config.auth, `${context.key}.auth`, context.env, config.baseUrl, config.timeoutSeconds),
    timeoutSeconds: config.timeoutSeconds,
    maxAttempts: TAILSCALE_API_DEFAULTS.maxAttempts,
    retryMaxSeconds: config.retryMaxSeconds,
    ...(logger === undefined ? {} : { logger }),
  });
  return new TailscaleApiSource({
    ...commonOptions(context),
    client,
    logs: config.logs,
    pollSeconds: config.pollSeconds,
    windowSeconds: config.windowSeconds,
    delaySeconds: config.delaySeconds,
    retryMaxSeconds: config.retryMaxSeconds,
    checkpoints: context.checkpoints,
    ...(config.since === undefined ? {} : { sinceMs: Date.parse(config.since) }),
  });
}

/** What the API answers: `{ logs: [...] }` (the configuration log adds `version` and the tailnet); `null` as empty. */
const LogsAnswer = z.looseObject({ logs: z.array(z.unknown()).nullable() });

interface LogState {
  position: ApiLogPosition | undefined;
  /** Failed attempts in a row, and when the next may start. */
  failures: number;
  notBeforeMs: number;
  error: string | undefined;
}

export class TailscaleApiSource implements Source {
  readonly kind = 'tailscale-api';
  readonly name: string;
  private readonly options: TailscaleApiSourceOptions;
  private readonly states = new Map<ApiLog, LogState>();
  private readonly abort = new AbortController();
  private handler: BatchHandler | undefined;
  private loop: Promise<void> = Promise.resolve();
  private passes = 0;

  constructor(options: TailscaleApiSourceOptions) {
    this.options = options;
    this.name = options.name;
    for (const log of options.logs) {
      const position = parseCheckpoint(ApiLogPosition, options.checkpoints?.get(log));
      this.states.set(log, { position, failures: 0, notBeforeMs: 0, error: undefined });
    }
  }

  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
    this.loop = this.pollForever();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  health(): SourceHealth {
    const failing = [...this.states].filter(([, state]) => state.error !== undefined);
    if (failing.length > 0) return { ok: false, detail: failing.map(([log, state]) => `${log}: ${state.error}`).join('; ') };
    if (this.passes === 0) return { ok: false, detail: 'first poll not done yet' };
    return { ok: true, detail: this.committed().map((c) => `${c.log} up to ${c.from} (lag ${Math.round(c.lagSeconds)} s)`).join('; ') };
  }

  /** Now minus the end of the last window delivered whole, per log. */
  lag(): SourceLag[] {
    return this.committed().map((c) => ({ stream: c.log, seconds: c.lagSeconds }));
  }

  private committed(): { log: ApiLog; from: string; lagSeconds: number }[] {
    const now = Date.now();
    return [...this.states].flatMap(([log, { position }]) => (position === undefined ? [] : [{ log, from: position.from, lagSeconds: (now - Date.parse(position.from)) / 1000 }]));
  }

  private async pollForever(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      let backlog = false;
      for (const [log, state] of this.states) {
        if (signal.aborted) return;
        if (Date.now() < state.notBeforeMs) continue;
        try {
          backlog = (await this.pollOnce(log, state)) || backlog;
          state.failures = 0;
          state.error = undefined;
        } catch (error) {
          if (signal.aborted) return;
          state.failures++;
          const seconds = retryDelaySeconds(error, state.failures, this.options.retryMaxSeconds);
          state.notBeforeMs = Date.now() + seconds * 1000;
          state.error = error instanceof Error ? error.message : String(error);
          this.options.logger?.warn('Tailscale API poll failed; the same window is asked for again', { log, error: state.error, retryInSeconds: seconds });
        }
      }
      this.passes++;
      if (!backlog) await abortableDelay(this.options.pollSeconds * 1000, signal);
    }
  }

  /** Asks for one window and delivers what it has not seen; true when more may be waiting right away. */
  private async pollOnce(log: ApiLog, state: LogState): Promise<boolean> {
    const { client } = this.options;
    const position = state.position ?? (await this.begin(log, state));
    const window = nextWindow(position, Date.now(), this.options);
    if (window === undefined) return false;
    const { resource, scope } = API_LOGS[log];
    const query = { start: rfc3339(window.startMs), end: rfc3339(window.endMs) };
    const answer = await client.getTailnet(resource, { query, scope, signal: this.abort.signal });
    const request = `${this.name} GET ${client.tailnetPath(resource, query)}`;
    const { identities, fresh } = unseen(toRecords(answer, request), new Set(position.seen));
    await this.deliver(log, state, window, position, identities, fresh);
    return window.full;
  }

  /** A log's first position is committed before anything else, so a restart keeps the same starting point. */
  private async begin(log: ApiLog, state: LogState): Promise<ApiLogPosition> {
    const { sinceMs, delaySeconds } = this.options;
    const position = firstPosition(sinceMs, Date.now(), delaySeconds);
    await this.commit(log, state, [], position);
    return position;
  }

  private async deliver(
    log: ApiLog, state: LogState, window: ApiWindow, position: ApiLogPosition, identities: readonly string[], fresh: readonly Fresh[],
  ): Promise<void> {
    const batchRecords = this.options.batchRecords ?? TAILSCALE_API_DEFAULTS.batchRecords;
    const done: ApiLogPosition = { from: rfc3339(window.endMs), seen: [...identities] };
    let delivered = [...position.seen];
    for (let start = 0; start === 0 || start < fresh.length; start += batchRecords) {
      const slice = fresh.slice(start, start + batchRecords);
      delivered = [...delivered, ...slice.map((item) => item.id)];
      const last = start + batchRecords >= fresh.length;
      const next: ApiLogPosition = last ? done : { from: position.from, until: rfc3339(window.endMs), seen: delivered };
      await this.commit(log, state, slice.map((item) => item.record), next);
    }
  }

  private async commit(log: ApiLog, state: LogState, records: readonly DecodeResult[], position: ApiLogPosition): Promise<void> {
    const handler = this.handler;
    if (handler === undefined) throw new Error(`tailscale-api source ${this.name} is not started`);
    await handler({ source: this.name, records, checkpoints: [{ key: log, value: JSON.stringify(position) }], receivedAtMs: Date.now() });
    state.position = position;
  }
}

interface Fresh {
  record: DecodeResult;
  id: string;
}

/** Every identity of the window's records, and the records not delivered before. */
function unseen(records: readonly DecodeResult[], seen: ReadonlySet<string>): { identities: string[]; fresh: Fresh[] } {
  const identities = new Set<string>();
  const fresh: Fresh[] = [];
  for (const record of records) {
    const id = recordIdentity(record.ok ? JSON.stringify(record.value) : record.raw);
    if (identities.has(id)) continue;
    identities.add(id);
    if (!seen.has(id)) fresh.push({ record, id });
  }
  return { identities: [...identities], fresh };
}

/** The answer's records; an answer of another shape is one rejected record (quarantined, named by its request). */
function toRecords(answer: unknown, request: string): DecodeResult[] {
  const parsed = LogsAnswer.safeParse(answer);
  if (!parsed.success) {
    const raw = JSON.stringify(answer).slice(0, 1000);
    return [{ ok: false, reason: 'schema_mismatch', message: 'the API answer is not an object with a logs array', position: { source: request, line: 1, offset: 0 }, raw }];
  }
  return (parsed.data.logs ?? []).map((value, i) => ({ ok: true, value, position: { source: `${request} logs[${i}]`, line: 1, offset: 0 } }));
}
