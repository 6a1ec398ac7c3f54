// The batch handler of a receiver in cluster mode: checks each record as the evaluator will parse it, publishes the
// good ones to the ingest stream (subject by tailnet) and answers only once JetStream acknowledged every publish.
// While NATS is unreachable, or a publish is not acknowledged in time, the sender gets 503 + Retry-After.
import { rejected } from '../decode/results.ts';
import type { RejectedRecord } from '../decode/types.ts';
import { parseRecord, type ParseContext, type ParseSettings } from '../schemas/parse.ts';
import type { CheckpointStore } from '../sources/checkpoints.ts';
import { SaturatedError, type Batch, type BatchHandler, type BatchOutcome } from '../sources/types.ts';
import { transaction, type Database } from '../state/database.ts';
import type { ClusterMetrics } from './cluster-metrics.ts';
import { ingestParseContext, type IngestMessage } from './ingest-message.ts';
import type { ClusterResources } from './resources.ts';

export interface IngestPublisherOptions {
  resources: ClusterResources;
  tailnetOf: (source: string) => string;
  parseSettings: () => ParseSettings;
  /** A batch's checkpoints are written (in one transaction of `db`) once its records are in the stream. */
  checkpoints: CheckpointStore;
  db: Database;
  /** Rejected records (decode or parse), for the local quarantine, metrics and the reject log. */
  onRejects: (source: string, rejects: readonly RejectedRecord[], received: number) => void;
  metrics: ClusterMetrics;
}

/** Room left in a message for its envelope; the rest of the server's max_payload is record JSON. */
const ENVELOPE_BYTES = 4096;

export function ingestPublisher(options: IngestPublisherOptions): BatchHandler {
  const { resources, metrics } = options;
  const { connection, config, names } = resources;
  const retryAfter = config.retryAfterSeconds;
  return async (batch: Batch): Promise<BatchOutcome> => {
    if (!connection.connected) throw new SaturatedError('NATS is unreachable: nothing was published', retryAfter);
    const tailnet = options.tailnetOf(batch.source);
    const envelope = { source: batch.source, tailnet, receivedAtMs: batch.receivedAtMs };
    const maxBytes = (connection.nc.info?.max_payload ?? 1024 * 1024) - ENVELOPE_BYTES;
    const { accepted, rejects } = checkRecords(batch, ingestParseContext(options.parseSettings(), envelope), maxBytes);
    const subject = names.ingestSubject(tailnet);
    for (const records of chunksOf(accepted, maxBytes)) {
      const message: IngestMessage = { ...envelope, records };
      try {
        await connection.js.publish(subject, JSON.stringify(message), { timeout: config.publishTimeoutSeconds * 1000 });
      } catch (error) {
        metrics.publishFailed();
        throw new SaturatedError(`the ingest stream did not acknowledge the records: ${error instanceof Error ? error.message : String(error)}`, retryAfter);
      }
      metrics.published(tailnet, records.length);
    }
    if (batch.checkpoints.length > 0) transaction(options.db, () => options.checkpoints.apply(batch.source, batch.checkpoints));
    options.onRejects(batch.source, rejects, batch.records.length);
    return { accepted: accepted.length, rejected: rejects.length };
  };
}

interface Checked {
  value: unknown;
  json: string;
}

/** The records the evaluator will accept, and the rejects (decode, parse, or larger than a message) with their reason. */
function checkRecords(batch: Batch, context: ParseContext, maxBytes: number): { accepted: Checked[]; rejects: RejectedRecord[] } {
  const accepted: Checked[] = [];
  const rejects: RejectedRecord[] = [];
  for (const record of batch.records) {
    if (!record.ok) {
      rejects.push(record);
      continue;
    }
    const json = JSON.stringify(record.value);
    const parsed = parseRecord(record.value, context);
    if (!parsed.ok) rejects.push(rejected(parsed.reason, parsed.message, record.position, json.slice(0, 1024)));
    else if (json.length > maxBytes) rejects.push(rejected('too_large', `record of ${json.length} bytes exceeds the NATS max_payload`, record.position, json.slice(0, 1024)));
    else accepted.push({ value: record.value, json });
  }
  return { accepted, rejects };
}

/** Records in message-sized groups, in order. */
function* chunksOf(accepted: readonly Checked[], maxBytes: number): Generator<unknown[]> {
  let chunk: unknown[] = [];
  let bytes = 0;
  for (const record of accepted) {
    if (bytes + record.json.length > maxBytes && chunk.length > 0) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(record.value);
    bytes += record.json.length + 1;
  }
  if (chunk.length > 0) yield chunk;
}
