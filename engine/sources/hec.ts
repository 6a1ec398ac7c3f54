// HEC-compatible receiver (Tailscale log streaming, Vector, Cribl, Fluent Bit) and Panther-style POST /ingest.
// Answers only after the pipeline has durably handled the body. Partial success is 200 with a `rejected` count
// (the good records are kept; resending the bad ones cannot help); a body with no good record is 400 code 6.
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
import { ListenAddress, SourceName, commonOptions, defined } from './source-config.ts';
import type { SourceBuildContext } from './source-config.ts';
import { SaturatedError } from './types.ts';
import type { BatchHandler, BatchOutcome, Source, SourceHealth } from './types.ts';

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
  maxInFlightRequests: 64,
  maxInFlightBytes: 256 * 2 ** 20,
  busyRetryAfterSeconds: 5,
};

export const DEFAULT_HEC_LISTEN = '127.0.0.1:8088';

export const HecSourceConfig = z.strictObject({
  kind: z.literal('hec'),
  name: SourceName,
  listen: ListenAddress.default(DEFAULT_HEC_LISTEN),
  /** Several tokens may be valid at once (rotation). */
  tokens: z.array(SecretRef).min(1),
  maxBodyBytes: z.number().int().positive().default(HEC_DEFAULTS.maxBodyBytes),
  // A gzip bomb stops at maxDecompressedBytes; past the in-flight limits a sender gets 503 + Retry-After
  // instead of unbounded buffering (defaults in HEC_DEFAULTS).
  maxDecompressedBytes: z.number().int().positive().optional(),
  maxInFlightRequests: z.number().int().positive().optional(),
  maxInFlightBytes: z.number().int().positive().optional(),
});
export type HecSourceConfig = z.infer<typeof HecSourceConfig>;

export function createHecSource(config: HecSourceConfig, context: SourceBuildContext): HecSource {
  const { kind: _kind, name: _name, tokens, ...settings } = config;
  return new HecSource({
    ...commonOptions(context),
    ...defined(settings),
    tokens: tokens.map((token, j) => resolveSecret(token, `${context.key}.tokens[${j}]`, context.env)),
  });
}

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
  aborted: HEC.invalidDataFormat,
};

export class HecSource implements Source {
  readonly kind = 'hec';
  readonly name: string;
  readonly listen: string;
  readonly routes: readonly Route[];
  private readonly options: HecSourceOptions & HecLimits;
  private readonly tokens: TokenSet;
  private handler: BatchHandler | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightBytes = 0;

  constructor(options: HecSourceOptions) {
    if (options.tokens.length === 0) throw new ConfigError(`source ${options.name}: a HEC receiver needs at least one token`);
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

  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
  }

  /** New requests get 503; requests already accepted finish and are answered. */
  async stop(): Promise<void> {
    this.handler = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  health(): SourceHealth {
    return this.handler === undefined ? { ok: false, detail: 'not started' } : { ok: true };
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async ingest(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    const { options } = this;
    const auth = this.tokens.check(req.headers.authorization);
    if (auth !== 'ok') return answer(res, AUTH_FAILURES[auth], { close: true });
    const declaredBytes = Number(req.headers['content-length'] ?? 0);
    if (declaredBytes > options.maxBodyBytes) return answer(res, HEC.tooLarge, { close: true });
    const handler = this.handler;
    if (handler === undefined || this.inFlight.size >= options.maxInFlightRequests || this.inFlightBytes >= options.maxInFlightBytes) {
      return answer(res, HEC.serverBusy, { retryAfterSeconds: options.busyRetryAfterSeconds, close: true });
    }
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();

    const receivedAtMs = Date.now();
    const framer = createFramer({ source: `${this.name}:${context.requestId}`, ...withLimits(options.decodeLimits) });
    const records: DecodeResult[] = [];
    let heldBytes = 0;
    try {
      const body = await readBody(req, options, (chunk) => {
        heldBytes += chunk.length;
        this.inFlightBytes += chunk.length;
        for (const record of framer.push(chunk)) records.push(record);
        return this.inFlightBytes <= options.maxInFlightBytes;
      });
      if (!body.ok) {
        options.logger?.warn('HEC body refused', { requestId: context.requestId, reason: body.reason, detail: body.message });
        const retryAfterSeconds = body.reason === 'refused' ? options.busyRetryAfterSeconds : undefined;
        return answer(res, BODY_FAILURES[body.reason], { extra: { detail: body.message }, close: true, retryAfterSeconds });
      }
      for (const record of framer.end()) records.push(record);
      if (records.length === 0) return answer(res, HEC.noData);
      await this.deliver(handler, records, receivedAtMs, res, context);
    } finally {
      this.inFlightBytes -= heldBytes;
    }
  }

  private async deliver(
    handler: BatchHandler,
    records: readonly DecodeResult[],
    receivedAtMs: number,
    res: ServerResponse,
    context: RequestContext,
  ): Promise<void> {
    let decodeRejected = 0;
    for (const record of records) if (!record.ok) decodeRejected++;
    let outcome: BatchOutcome | void;
    try {
      outcome = await handler({ source: this.name, records, checkpoints: [], receivedAtMs });
    } catch (error) {
      if (error instanceof SaturatedError) return answer(res, HEC.serverBusy, { retryAfterSeconds: error.retryAfterSeconds });
      // Nothing of the body was kept: the sender must send it again once there is room.
      if (error instanceof StorageFullError) return answer(res, HEC.serverBusy, { retryAfterSeconds: this.options.busyRetryAfterSeconds });
      this.options.logger?.error('pipeline failed to handle a HEC body', { requestId: context.requestId, error });
      return answer(res, HEC.internalError, { retryAfterSeconds: this.options.busyRetryAfterSeconds });
    }
    const rejected = outcome?.rejected ?? decodeRejected;
    const accepted = outcome?.accepted ?? records.length - decodeRejected;
    if (accepted === 0) return answer(res, HEC.invalidDataFormat, { extra: { 'invalid-event-number': 0, rejected } });
    answer(res, HEC.success, rejected === 0 ? {} : { extra: { rejected } });
  }
}

function withLimits(limits: Partial<DecodeLimits> | undefined): { limits?: Partial<DecodeLimits> } {
  return limits === undefined ? {} : { limits };
}
