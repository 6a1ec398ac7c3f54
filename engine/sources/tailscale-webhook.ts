// Tailscale webhook receiver: signed POSTs of JSON arrays of events (nodeCreated, userRoleUpdated, policyUpdate…),
// each event one Tailscale.Webhook record. The signature (webhook-signature.ts) is checked on the whole body
// before anything is parsed or journaled: unsigned, forged, expired or replayed posts get 401. The answer comes only
// after the pipeline has durably handled the records: 200 then, 503 + Retry-After when it is full (Tailscale retries
// non-2xx). Bad events inside a good array are quarantined one by one and the others kept, as with HEC.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { SecretRef, resolveSecret } from '../config/secret.ts';
import type { DecodeResult } from '../decode/types.ts';
import { StorageFullError } from '../errors.ts';
import { sendJson } from '../server/http-server.ts';
import type { RequestContext, Route } from '../server/http-server.ts';
import type { Logger } from '../telemetry/logger.ts';
import { HEC_DEFAULTS } from './hec.ts';
import { readBody } from './hec-body.ts';
import type { BodyFailure } from './hec-body.ts';
import { HttpSourceBase } from './http-source-base.ts';
import { PipelineTurns } from './pipeline-turns.ts';
import { ListenAddress, SourceName, TailnetName, commonOptions } from './source-config.ts';
import type { SourceBuildContext } from './source-config.ts';
import { SaturatedError } from './types.ts';
import { SIGNATURE_HEADER, checkSignature, parseSignatureHeader } from './webhook-signature.ts';
import type { SignatureCheck } from './webhook-signature.ts';

export const DEFAULT_WEBHOOK_LISTEN = '127.0.0.1:8089';
export const DEFAULT_WEBHOOK_PATH = '/tailscale/webhook';
/** Tailscale's example consumer accepts signatures up to 5 minutes old. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const TailscaleWebhookSourceConfig = z.strictObject({
  kind: z.literal('tailscale-webhook'),
  name: SourceName,
  tailnet: TailnetName,
  listen: ListenAddress.default(DEFAULT_WEBHOOK_LISTEN),
  path: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, 'an absolute URL path').default(DEFAULT_WEBHOOK_PATH),
  /** The endpoint's secret, shown once by the admin console when the endpoint is added (or rotated). */
  secret: SecretRef,
  /** A signature older (or further ahead) than this is refused with 401. */
  toleranceSeconds: z.number().int().positive().default(DEFAULT_TOLERANCE_SECONDS),
  maxBodyBytes: z.number().int().positive().default(2 ** 20),
});
export type TailscaleWebhookSourceConfig = z.infer<typeof TailscaleWebhookSourceConfig>;

export interface TailscaleWebhookOptions {
  name: string;
  listen: string;
  path: string;
  secret: string;
  toleranceSeconds: number;
  maxBodyBytes: number;
  logger?: Logger;
}

export function createTailscaleWebhookSource(config: TailscaleWebhookSourceConfig, context: SourceBuildContext): TailscaleWebhookSource {
  return new TailscaleWebhookSource({
    ...commonOptions(context),
    listen: config.listen,
    path: config.path,
    secret: resolveSecret(config.secret, `${context.key}.secret`, context.env),
    toleranceSeconds: config.toleranceSeconds,
    maxBodyBytes: config.maxBodyBytes,
  });
}

/** Events per pipeline turn, as for HEC. */
const SLICE_RECORDS = 100;
/** Signatures of committed posts remembered (each for twice the tolerance): a replay of one gets 401. */
const MAX_REMEMBERED_SIGNATURES = 10_000;

interface Answer {
  status: number;
  text: string;
}

const UNAUTHORIZED: Record<Exclude<SignatureCheck, 'ok'>, string> = {
  missing: 'Tailscale-Webhook-Signature is required',
  malformed: 'Tailscale-Webhook-Signature is malformed',
  expired: 'signature timestamp is outside the tolerance',
  invalid: 'signature does not match',
};

const BODY_FAILURES: Record<BodyFailure, Answer> = {
  body_too_large: { status: 413, text: 'Content too large' },
  decompressed_too_large: { status: 413, text: 'Content too large' },
  decompress_failed: { status: 400, text: 'Invalid body' },
  unsupported_encoding: { status: 415, text: 'Content-Encoding is not supported' },
  refused: { status: 503, text: 'Server is busy' },
  body_timeout: { status: 408, text: 'Request body too slow' },
  too_slow: { status: 408, text: 'Request body too slow' },
  aborted: { status: 400, text: 'Invalid body' },
};

export class TailscaleWebhookSource extends HttpSourceBase {
  readonly kind = 'tailscale-webhook';
  readonly name: string;
  readonly listen: string;
  readonly routes: readonly Route[];
  private readonly options: TailscaleWebhookOptions;
  private readonly turns = new PipelineTurns();
  private readonly committed: LRUCache<string, true>;

  constructor(options: TailscaleWebhookOptions) {
    super();
    this.options = options;
    this.name = options.name;
    this.listen = options.listen;
    this.committed = new LRUCache({ max: MAX_REMEMBERED_SIGNATURES, ttl: options.toleranceSeconds * 2000 });
    const handler = (req: IncomingMessage, res: ServerResponse, context: RequestContext) => this.track(this.ingest(req, res, context));
    this.routes = [{ method: 'POST', path: options.path, name: options.name, handler }];
  }

  private async ingest(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    const { options } = this;
    const header = parseSignatureHeader(req.headers[SIGNATURE_HEADER]?.toString());
    if (typeof header === 'string') return this.unauthorized(res, header, context);
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) return reply(res, BODY_FAILURES.body_too_large, { close: true });
    // Tailscale signs the bytes it sends: a compressed body could not be checked as sent.
    const encoding = req.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
    if (encoding !== 'identity') return reply(res, BODY_FAILURES.unsupported_encoding, { close: true });
    const handler = this.handler;
    if (handler === undefined || this.requestsInFlight >= HEC_DEFAULTS.maxInFlightRequests) return this.busy(res, HEC_DEFAULTS.busyRetryAfterSeconds);

    const receivedAtMs = Date.now();
    const chunks: Buffer[] = [];
    const limits = { ...HEC_DEFAULTS, maxBodyBytes: options.maxBodyBytes, maxDecompressedBytes: options.maxBodyBytes };
    const body = await readBody(req, limits, (chunk) => {
      chunks.push(chunk);
      return true;
    }, () => this.turns.senderClock());
    if (!body.ok) {
      options.logger?.warn('webhook body refused', { requestId: context.requestId, reason: body.reason, detail: body.message });
      return reply(res, BODY_FAILURES[body.reason], { close: true, extra: { detail: body.message } });
    }
    const bytes = Buffer.concat(chunks);
    const check = checkSignature(header, bytes, options.secret, receivedAtMs, options.toleranceSeconds);
    if (check !== 'ok') return this.unauthorized(res, check, context);
    const signature = `${header.timestampSeconds}.${header.signatures.join(',')}`;
    if (this.committed.has(signature)) return this.unauthorized(res, 'replayed', context);

    const events = parseEvents(bytes);
    if (typeof events === 'string') return reply(res, { status: 400, text: events });
    const source = `${this.name}:${context.requestId}`;
    const records: DecodeResult[] = events.map((value, i) => ({ ok: true, value, position: { source: `${source}[${i}]`, line: 1, offset: 0 } }));
    const totals = { accepted: 0, rejected: 0 };
    try {
      for (let start = 0; start < records.length; start += SLICE_RECORDS) {
        const slice = records.slice(start, start + SLICE_RECORDS);
        const outcome = await this.turns.run(() => handler({ source: this.name, records: slice, checkpoints: [], receivedAtMs }));
        totals.accepted += outcome?.accepted ?? slice.length;
        totals.rejected += outcome?.rejected ?? 0;
      }
    } catch (error) {
      return this.answerFailure(res, error, context);
    }
    this.committed.set(signature, true);
    if (records.length > 0 && totals.accepted === 0) return reply(res, { status: 400, text: 'No valid event' }, { extra: totals });
    reply(res, { status: 200, text: 'Success' }, { extra: totals });
  }

  private unauthorized(res: ServerResponse, why: Exclude<SignatureCheck, 'ok'> | 'replayed', context: RequestContext): void {
    const text = why === 'replayed' ? 'this signed post was already accepted' : UNAUTHORIZED[why];
    this.options.logger?.warn('webhook post refused', { requestId: context.requestId, reason: why });
    reply(res, { status: 401, text }, { close: true });
  }

  private busy(res: ServerResponse, retryAfterSeconds: number): void {
    reply(res, { status: 503, text: 'Server is busy' }, { close: true, retryAfterSeconds });
  }

  /** Slices before the failing one are kept: Tailscale's retry repeats them, and the alert ledger dedups. */
  private answerFailure(res: ServerResponse, error: unknown, context: RequestContext): void {
    if (error instanceof SaturatedError) return this.busy(res, error.retryAfterSeconds);
    if (error instanceof StorageFullError) return this.busy(res, HEC_DEFAULTS.busyRetryAfterSeconds);
    this.options.logger?.error('pipeline failed to handle a webhook post', { requestId: context.requestId, error });
    reply(res, { status: 500, text: 'Internal server error' }, { close: true, retryAfterSeconds: HEC_DEFAULTS.busyRetryAfterSeconds });
  }
}

/** The body's events, or why it is not a JSON array. */
function parseEvents(bytes: Buffer): unknown[] | string {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return `body is not JSON: ${(error as Error).message}`;
  }
  return Array.isArray(value) ? value : 'body is not a JSON array of events';
}

function reply(
  res: ServerResponse, answer: Answer,
  options: { extra?: Record<string, unknown>; close?: boolean; retryAfterSeconds?: number } = {},
): void {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(options.retryAfterSeconds)));
  sendJson(res, answer.status, { text: answer.text, ...options.extra }, { headers, close: options.close ?? false });
}
