// Appends each alert to an NDJSON file (the webhook payload, one line per alert).
import { constants } from 'node:fs';
import { access, appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { sharedOptions } from './destination-config.ts';
import type { DestinationContext } from './destination-config.ts';
import type { Destination } from './types.ts';
import { webhookPayload } from './webhook-payload.ts';

export const FileDestination = z.strictObject({
  kind: z.literal('file'),
  /** NDJSON, appended; relative paths are resolved against the config file's directory. */
  path: z.string().min(1),
  ...sharedOptions,
});
export type FileDestination = z.infer<typeof FileDestination>;

export function createFileDestination(config: FileDestination, { name }: DestinationContext): Destination {
  const { path } = config;
  return {
    name,
    kind: 'file',
    send: async ({ alert, enqueuedAt }) => {
      try {
        await mkdir(dirname(path), { recursive: true });
        await appendFile(path, `${JSON.stringify(webhookPayload(alert, enqueuedAt))}\n`);
        return { ok: true };
      } catch (error) {
        // A full disk or a permission fixed later: keep the alert and try again.
        return { ok: false, retryable: true, error: `cannot append to ${path}: ${(error as Error).message}` };
      }
    },
    check: async () => {
      try {
        await mkdir(dirname(path), { recursive: true });
        await access(dirname(path), constants.W_OK);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: `cannot write to ${path}: ${(error as Error).message}` };
      }
    },
  };
}
