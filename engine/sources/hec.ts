// HEC-compatible receiver (Tailscale log streaming, Vector, Cribl, Fluent Bit) and Panther-style POST /ingest.
// Answers only after the pipeline has durably handled the body. Partial success is 200 with a `rejected` count
// (the good records are kept; resending the bad ones cannot help); a body with no good record is 400 code 6.
// A large body reaches the pipeline in slices of SLICE_RECORDS, one pipeline turn each, so other requests and
// /healthz are served in between and memory holds one slice, not the whole body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SecretRef, resolveSecret } from '../config/secret.ts';
import { createFramer } from '../decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import { ConfigError, StorageFullError } from '../errors.ts';
import type { RequestContext, Route } from '../server/http-server.ts';
import type { Logger } from '../telemetry/logger.ts';
import { TokenSet } from './hec-auth.ts';
import type { AuthResult } from './hec-auth.ts';
import { readBody } from './hec-body.ts';
import type { BodyFailure } from './hec-body.ts';
import { HEC, answer } from './hec-responses.ts';
import type { HecAnswer } from './hec-responses.ts';
import { ListenAddress, SourceName, TailnetName, commonOptions, defined } from './source-config.ts';
import type { SourceBuildContext } from './source-config.ts';
import { HttpSourceBase } from './http-source-base.ts';
import { PipelineTurns } from './pipeline-turns.ts';
import { SaturatedError } from './types.ts';

export interface HecLimits {
  maxBodyBytes: number;
  /** After Content-Encoding is undone; a gzip bomb stops here. */
  maxDecompressedBytes: number;
  /** Requests being read or waiting for the pipeline; more get 503 + Retry-After. */
  maxInFlightRequests: number;
  /** Decompressed bytes held by in-flight requests; more gets 503 + Retry-After. */
  maxInFlightBytes: number;
  /** Retry-After sent when this receiver is full. */
  busyRetryAfterSeconds: number;
  /** The whole body must arrive within this (time the pipeline works is not counted). */
  bodyTimeoutSeconds: number;
  /** A body arriving slower than this on average (after its first 2 s) is cut with 408. */
  minBodyBytesPerSecond: number;
}

export interface HecSourceOptions extends Partial<HecLimits> {
  name: string;
  /** `host:port` the receiver is served on (the wiring groups HEC sources by it); default DEFAULT_HEC_LISTEN. */
  listen?: string;
  /** Plain token values (resolved from `{ env }` by the config); any of them is accepted. */
  tokens: readonly string[];
  decodeLimits?: Partial<DecodeLimits>;
  logger?: Logger;
}

export const HEC_DEFAULTS: HecLimits = {
  maxBodyBytes: 10 * 2 ** 20,
  maxDecompressedBytes: 100 * 2 ** 20,
  maxInFlightRequests: 16,
  maxInFlightBytes: 256 * 2 ** 20,
  busyRetryAfterSeconds: 5,
  bodyTimeoutSeconds: 30,
  minBodyBytesPerSecond: 4096,
};

export const DEFAULT_HEC_LISTEN = '127.0.0.1:8088';

export const HecSourceConfig = z.strictObject({
  kind: z.literal('hec'),
  name: SourceName,
  tailnet: TailnetName,
  listen: ListenAddress.default(DEFAULT_HEC_LISTEN),
  /** Several tokens may be valid at once (rotation). */
  tokens: z.array(SecretRef).min(1),
  maxBodyBytes: z.number().int().positive().default(HEC_DEFAULTS.maxBodyBytes),
  // A gzip bomb stops at maxDecompressedBytes; past the in-flight limits a sender gets 503 + Retry-After
  // instead of unbounded buffering (defaults in HEC_DEFAULTS).
  maxDecompressedBytes: z.number().int().positive().optional(),
  maxInFlightRequests: z.number().int().positive().optional(),
  maxInFlightBytes: z.number().int().positive().optional(),
  // Slow senders: the whole body within bodyTimeoutSeconds (default 30), at no less than minBodyBytesPerSecond
  // on average (default 4096), else 408 and the slot goes to someone else.
  bodyTimeoutSeconds: z.number().positive().optional(),
  minBodyBytesPerSecond: z.number().nonnegative().optional(),
});
export type HecSourceConfig = z.infer<typeof HecSourceConfig>;

export function createHecSource(config: HecSourceConfig, context: SourceBuildContext): HecSource {
  const { kind: _kind, name: _name, tailnet: _tailnet, tokens, ...settings } = config;
  return new HecSource({
    ...commonOptions(context),
    ...defined(settings),
    tokens: tokens.map((token, j) => resolveSecret(token, `${context.key}.tokens[${j}]`, context.env)),
  });
}

/** Records per pipeline turn: a few milliseconds of parsing and evaluation. */
const SLICE_RECORDS = 100;

const AUTH_FAILURES: Record<Exclude<AuthResult, 'ok'>, HecAnswer> = {
  missing: HEC.tokenRequired,
  malformed: HEC.invalidAuthorization,
  invalid: HEC.invalidToken,
};

const BODY_FAILURES: Record<BodyFailure, HecAnswer> = {
  body_too_large: HEC.tooLarge,
  decompressed_too_large: HEC.tooLarge,
  decompress_failed: HEC.invalidDataFormat,
  unsupported_encoding: HEC.unsupportedEncoding,
  refused: HEC.serverBusy,
  body_timeout: HEC.bodyTimeout,
  too_slow: HEC.bodyTimeout,
  aborted: HEC.invalidDataFormat,
};

export class HecSource extends HttpSourceBase {
  readonly kind = 'hec';
  readonly name: string;
  readonly listen: string;
  readonly routes: readonly Route[];
  private readonly options: HecSourceOptions & HecLimits;
  private readonly tokens: TokenSet;
  private inFlightBytes = 0;
  private readonly turns = new PipelineTurns();

  constructor(options: HecSourceOptions) {
    if (options.tokens.length === 0) throw new ConfigError(`source ${options.name}: a HEC receiver needs at least one token`);
    super();
    this.options = { ...HEC_DEFAULTS, ...options };
    this.name = options.name;
    this.listen = options.listen ?? DEFAULT_HEC_LISTEN;
    this.tokens = new TokenSet(options.tokens);
    const ingest = (req: IncomingMessage, res: ServerResponse, context: RequestContext) => this.track(this.ingest(req, res, context));
    this.routes = [
      ...['/services/collector/event', '/services/collector', '/services/collector/event/1.0', '/ingest'].map(
        (path): Route => ({ method: 'POST', path, name: options.name, handler: ingest }),
      ),
      {
        method: 'GET',
        path: '/services/collector/health',
        name: `${options.name}-health`,
        handler: (_req, res) => answer(res, this.handler === undefined ? HEC.unhealthy : HEC.healthy),
      },
    ];
  }

  private async ingest(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    const { options } = this;
    const auth = this.tokens.check(req.headers.authorization);
    if (auth !== 'ok') return answer(res, AUTH_FAILURES[auth], { close: true });
    const declaredBytes = Number(req.headers['content-length'] ?? 0);
    if (declaredBytes > options.maxBodyBytes) return answer(res, HEC.tooLarge, { close: true });
    const handler = this.handler;
    const full = this.requestsInFlight >= options.maxInFlightRequests || this.inFlightBytes + declaredBytes > options.maxInFlightBytes;
    if (handler === undefined || full) {
      return answer(res, HEC.serverBusy, { retryAfterSeconds: options.busyRetryAfterSeconds, close: true });
    }
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();

    const receivedAtMs = Date.now();
    const framer = createFramer({ source: `${this.name}:${context.requestId}`, ...withLimits(options.decodeLimits) });
    let slice: DecodeResult[] = [];
    let sliceBytes = 0;
    const totals = { records: 0, accepted: 0, rejected: 0 };
    const failure: { error?: unknown } = {};
    let handing: Promise<boolean> = Promise.resolve(true);
    const handOver = (): Promise<boolean> => {
      const records = slice;
      const bytes = sliceBytes;
      slice = [];
      sliceBytes = 0;
      handing = this.turns
        .run(() => handler({ source: this.name, records, checkpoints: [], receivedAtMs }))
        .then((outcome) => {
          let decodeRejected = 0;
          for (const record of records) if (!record.ok) decodeRejected++;
          totals.records += records.length;
          totals.rejected += outcome?.rejected ?? decodeRejected;
          totals.accepted += outcome?.accepted ?? records.length - decodeRejected;
          return true;
        }, (error: unknown) => {
          failure.error = error;
          return false;
        })
        .finally(() => {
          this.inFlightBytes -= bytes;
        });
      return handing;
    };
    const collect = (record: DecodeResult) => slice.push(record);
    try {
      const body = await readBody(req, options, (chunk) => {
        sliceBytes += chunk.length;
        this.inFlightBytes += chunk.length;
        framer.push(chunk, collect);
        if (this.inFlightBytes > options.maxInFlightBytes) return false;
        return slice.length >= SLICE_RECORDS ? handOver() : true;
      }, () => this.turns.senderClock());
      if ('error' in failure) return this.answerFailure(res, failure.error, context);
      if (!body.ok) {
        options.logger?.warn('HEC body refused', { requestId: context.requestId, reason: body.reason, detail: body.message });
        const retryAfterSeconds = body.reason === 'refused' ? options.busyRetryAfterSeconds : undefined;
        return answer(res, BODY_FAILURES[body.reason], { extra: { detail: body.message }, close: true, retryAfterSeconds });
      }
      framer.end(collect);
      if (totals.records + slice.length === 0) return answer(res, HEC.noData);
      if (slice.length > 0 && !(await handOver())) return this.answerFailure(res, failure.error, context);
    } finally {
      // A slice may still be in the pipeline when the body failed: its answer is not sent, but its bytes are counted.
      await handing;
      this.inFlightBytes -= sliceBytes;
    }
    if (totals.accepted === 0) return answer(res, HEC.invalidDataFormat, { extra: { 'invalid-event-number': 0, rejected: totals.rejected } });
    answer(res, HEC.success, totals.rejected === 0 ? {} : { extra: { rejected: totals.rejected } });
  }

  /** The pipeline refused or failed a slice; slices before it are kept (a resend repeats them, like Splunk's HEC). */
  private answerFailure(res: ServerResponse, error: unknown, context: RequestContext): void {
    if (error instanceof SaturatedError) return answer(res, HEC.serverBusy, { retryAfterSeconds: error.retryAfterSeconds, close: true });
    // Nothing of the slice was kept: the sender must send it again once there is room.
    if (error instanceof StorageFullError) return answer(res, HEC.serverBusy, { retryAfterSeconds: this.options.busyRetryAfterSeconds, close: true });
    this.options.logger?.error('pipeline failed to handle a HEC body', { requestId: context.requestId, error });
    answer(res, HEC.internalError, { retryAfterSeconds: this.options.busyRetryAfterSeconds, close: true });
  }
}

function withLimits(limits: Partial<DecodeLimits> | undefined): { limits?: Partial<DecodeLimits> } {
  return limits === undefined ? {} : { limits };
}
