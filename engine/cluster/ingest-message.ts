// One message of the ingest stream: records a receiver accepted, with what their parse depends on (source, tailnet,
// receive time), so every evaluator that ever reads the message parses them to the same events.
import type { ParseContext, ParseSettings } from '../schemas/parse.ts';

export interface IngestMessage {
  source: string;
  tailnet: string;
  receivedAtMs: number;
  records: unknown[];
}

/** The parse context of a batch; the receiver checks with it and the evaluator parses with it. */
export function ingestParseContext(settings: ParseSettings, message: Omit<IngestMessage, 'records'>): ParseContext {
  return { ...settings, tailnet: message.tailnet, sourceId: message.source, sourceLabel: message.source, receivedAtMs: message.receivedAtMs };
}
