// Slack incoming webhook: POST the Block Kit message; Slack answers `200 ok` or a status with an error word.
import { checkHttpUrl } from '../config/check-secrets.ts';
import { z } from 'zod';
import { SecretRef } from '../config/secret.ts';
import { sharedOptions, timeoutSeconds } from './destination-config.ts';
import type { DestinationContext } from './destination-config.ts';
import { post } from './http-post.ts';
import { slackMessage } from './slack-message.ts';
import type { Destination } from './types.ts';

export const SlackDestination = z.strictObject({
  kind: z.literal('slack'),
  /** An incoming-webhook URL is a credential: only an environment reference is accepted. */
  url: z.strictObject(SecretRef.shape, {
    error: 'a Slack webhook URL is a secret: write { env: "SLACK_WEBHOOK_URL" } and set that variable',
  }),
  timeoutSeconds,
  ...sharedOptions,
});
export type SlackDestination = z.infer<typeof SlackDestination>;

export function createSlackDestination(config: SlackDestination, { name, env }: DestinationContext): Destination {
  const url = checkHttpUrl(config.url, `destinations.${name}.url`, env).href;
  const headers = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'tailwatch' };
  return {
    name,
    kind: 'slack',
    send: ({ alert }, signal) =>
      post({ url, body: JSON.stringify(slackMessage(alert)), headers, timeoutSeconds: config.timeoutSeconds, signal }),
    // Posting would put a message in the channel: `tailwatch send-test` is the end-to-end check.
    check: async () => ({ ok: true }),
  };
}
