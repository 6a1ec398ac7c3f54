// alerts.config.ts `inventory`: one entry per tailnet whose devices, users, keys and policy file are polled.
import { z } from 'zod';
import { TailnetName } from '../sources/source-config.ts';
import { ApiAuth } from '../tailscale-api/auth.ts';
import { DEFAULT_API_BASE_URL } from '../tailscale-api/client.ts';

export const InventoryPollConfig = z.strictObject({
  /** The tailnet as events name it (a source's `tailnet`; default "default"). */
  tailnet: TailnetName,
  /** The tailnet in the API's paths: `-` (the credential's own, the default) or its tailnet ID. */
  tailnetId: z.string().regex(/^[A-Za-z0-9._@-]+$/, 'a tailnet ID, or - for the credential\'s own').optional(),
  /** Needs the scopes devices:core:read, users:read, auth_keys:read and policy_file:read (docs/running.md). */
  auth: ApiAuth,
  pollMinutes: z.number().positive().default(15),
  baseUrl: z.url().default(DEFAULT_API_BASE_URL),
  timeoutSeconds: z.number().positive().default(30),
  retryMaxSeconds: z.number().positive().default(300),
});
export type InventoryPollConfig = z.infer<typeof InventoryPollConfig>;
