// The source contract: a source brings records in and acknowledges only what the pipeline has durably handled.
import type { DecodeResult } from '../decode/types.ts';
import { TailwatchError } from '../errors.ts';
import type { Route } from '../server/http-server.ts';

export type SourceKind = 'hec' | 'file' | 's3' | 'stdin' | 'tailscale-webhook' | 'tailscale-api';

/** A position to remember, written by the pipeline in the same transaction as the batch; `null` forgets it. */
export interface Checkpoint {
  key: string;
  value: string | null;
}

export interface Batch {
  /** The source's name (checkpoints are stored under it). */
  source: string;
  records: readonly DecodeResult[];
  /** Positions reached once these records are handled; commit them with the records, or not at all. */
  checkpoints: readonly Checkpoint[];
  /** When the bytes entered tailwatch (epoch ms), for the ingest-to-alert histogram. */
  receivedAtMs: number;
}

/** Counts the pipeline reports back, so a sender can be told how many records were rejected. */
export interface BatchOutcome {
  accepted: number;
  rejected: number;
}

/**
 * Resolves once the batch (records, their alerts, its checkpoints) is durably committed.
 * Rejects with SaturatedError to push back (HEC answers 503 + Retry-After, the others retry later);
 * any other rejection means "not handled": the source keeps its position and delivers again.
 */
export type BatchHandler = (batch: Batch) => Promise<BatchOutcome | void>;

export interface SourceHealth {
  ok: boolean;
  /** Why it is not ok, or a short state (e.g. `listening on 127.0.0.1:8088`). */
  detail?: string;
}

/** How far a polling source is behind now, per stream it reads (e.g. the API source's logs). */
export interface SourceLag {
  stream: string;
  seconds: number;
}

export interface Source {
  readonly name: string;
  readonly kind: SourceKind;
  /** Resolves once the source is running (listening, watching, polling); delivery goes on in the background. */
  start(handler: BatchHandler): Promise<void>;
  /** Stops taking input and waits for in-flight batches to settle. */
  stop(): Promise<void>;
  health(): SourceHealth;
  /** For sources that poll: their lag, exported as tailwatch_source_lag_seconds. */
  lag?(): readonly SourceLag[];
}

/** A source served over HTTP: its routes are mounted on the server for its `listen` address. */
export interface HttpSource extends Source {
  readonly listen: string;
  readonly routes: readonly Route[];
}

export function isHttpSource(source: Source): source is HttpSource {
  return 'routes' in source && 'listen' in source;
}

/** The pipeline is full: try again after `retryAfterSeconds`. */
export class SaturatedError extends TailwatchError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1) {
    super('SATURATED', message);
    this.name = 'SaturatedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
