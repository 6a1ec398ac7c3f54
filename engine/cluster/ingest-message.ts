// One message of the ingest stream: records a receiver accepted, with what their parse depends on (source, tailnet,
// receive time), so every evaluator that ever reads the message parses them to the same events.
import { z } from 'zod';
import type { ParseContext, ParseSettings } from '../schemas/parse.ts';

/** Checked when read: anything else on an ingest subject (not written by a receiver) is skipped, never evaluated. */
export const IngestMessage = z.object({
  source: z.string(),
  tailnet: z.string(),
  receivedAtMs: z.number(),
  records: z.array(z.unknown()),
});
export type IngestMessage = z.infer<typeof IngestMessage>;

/** The message, or why it is not one. */
export function readIngestMessage(data: Uint8Array): IngestMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    return `not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  const parsed = IngestMessage.safeParse(value);
  return parsed.success ? parsed.data : z.prettifyError(parsed.error);
}

/** The parse context of a batch; the receiver checks with it and the evaluator parses with it. */
export function ingestParseContext(settings: ParseSettings, message: Omit<IngestMessage, 'records'>): ParseContext {
  return { ...settings, tailnet: message.tailnet, sourceId: message.source, sourceLabel: message.source, receivedAtMs: message.receivedAtMs };
}
