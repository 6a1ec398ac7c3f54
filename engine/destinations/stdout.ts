// Writes each alert as one line to standard output (JSON payload or a readable line).
import type { Alert } from '../alerts/alert.ts';
import { z } from 'zod';
import { sharedOptions } from './destination-config.ts';
import type { DestinationContext } from './destination-config.ts';
import type { Destination } from './types.ts';
import { webhookPayload } from './webhook-payload.ts';

export const StdoutDestination = z.strictObject({
  kind: z.literal('stdout'),
  /** `json`: one webhook-payload line per alert; `text`: one readable line. */
  format: z.enum(['json', 'text']).default('json'),
  ...sharedOptions,
});
export type StdoutDestination = z.infer<typeof StdoutDestination>;

export function createStdoutDestination(config: StdoutDestination, { name, stdout }: DestinationContext): Destination {
  const output = stdout ?? process.stdout;
  const line = config.format === 'json'
    ? (alert: Alert, enqueuedAt: number) => `${JSON.stringify(webhookPayload(alert, enqueuedAt))}\n`
    : textLine;
  return {
    name,
    kind: 'stdout',
    send: ({ alert, enqueuedAt }) =>
      new Promise((resolve) => {
        output.write(line(alert, enqueuedAt), (error) =>
          resolve(error ? { ok: false, retryable: true, error: `write failed: ${error.message}` } : { ok: true }));
      }),
    check: async () => (output.writable ? { ok: true } : { ok: false, error: 'standard output is closed' }),
  };
}

function textLine(alert: Alert): string {
  const events = `${alert.eventCount} event${alert.eventCount === 1 ? '' : 's'}`;
  return `${alert.lastEventTime} ${alert.severity.padEnd(8)} ${alert.ruleId}: ${alert.title} (${events}, alert ${alert.alertId}${alert.revision > 1 ? ` revision ${alert.revision}` : ''})\n`;
}
