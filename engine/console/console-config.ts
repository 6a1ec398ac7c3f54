// The `console` key of alerts.config.ts: where the web console is served and where its password comes from.
import { z } from 'zod';
import { SecretRef } from '../config/secret.ts';
import { ListenAddress } from '../sources/source-config.ts';

export const ConsoleConfig = z.strictObject({
  /** Off: no console routes anywhere. */
  enabled: z.boolean().default(true),
  /** Its own address; without it the console shares `http.listen`, else the loopback HEC addresses. */
  listen: ListenAddress.optional(),
  /** The login password (or Bearer token for the JSON API); unset: generated once and kept in the dataDir. */
  password: SecretRef.optional(),
  /** How long a login lasts. */
  sessionHours: z.number().positive().max(24 * 30).default(12),
});
export type ConsoleConfig = z.output<typeof ConsoleConfig>;
