// Slack incoming webhook: POST the Block Kit message; Slack answers `200 ok` or a status with an error word.
import { checkHttpUrl } from '../config/check-secrets.ts';
import type { SlackDestination } from '../config/destinations.ts';
import type { Environment } from '../config/secret.ts';
import { post } from './http-post.ts';
import { slackMessage } from './slack-message.ts';
import type { Destination } from './types.ts';

export function slackDestination(name: string, config: SlackDestination, env: Environment): Destination {
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
