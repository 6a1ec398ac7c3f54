import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-stand-in.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const config = resolve(import.meta.dirname, '../../fixtures/configs/delivery.config.ts');
let slack: SlackStandIn;
let receiver: WebhookReceiver;
let env: Record<string, string>;
beforeAll(async () => {
  slack = await startSlackStandIn();
  receiver = await startWebhookReceiver({ secret: 'whsec-send-test' });
  env = { TEST_SLACK_WEBHOOK_URL: slack.url, TEST_WEBHOOK_URL: receiver.url, TEST_WEBHOOK_SECRET: 'whsec-send-test' };
});
afterAll(async () => {
  await slack.close();
  await receiver.close();
});

describe('tailwatch send-test', () => {
  it('sends a sample alert to Slack and to a signed webhook', async () => {
    const toSlack = await runCli(['send-test', '--destination', 'secops-slack', '--config', config], { env });
    expect(toSlack.stdout).toBe('✓ secops-slack: test alert delivered (HTTP 200)\n');
    expect(toSlack.code).toBe(0);
    expect(slack.accepted).toHaveLength(1);
    const toWebhook = await runCli(['send-test', '--destination', 'soar', '--config', config], { env });
    expect(toWebhook.code).toBe(0);
    expect(receiver.requests.at(-1)).toMatchObject({ signatureValid: true, status: 200, payload: { ruleId: 'Tailwatch.Send.Test' } });
  });

  it('says what is wrong, without printing the secret URL', async () => {
    const revoked = { ...env, TEST_SLACK_WEBHOOK_URL: `${slack.origin}/services/T/B/revoked-token-123` };
    const result = await runCli(['send-test', '--destination', 'secops-slack', '--config', config], { env: revoked });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('✗ secops-slack: HTTP 404: no_service (permanent: fix the destination settings)\n');
    expect(result.stdout + result.stderr).not.toContain('revoked-token-123');
  });

  it('names an unknown destination and a missing environment variable', async () => {
    const unknown = await runCli(['send-test', '--destination', 'pager', '--config', config], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no destination named "pager" (configured: secops-slack, soar, console, archive) [CONFIG]');
    const missing = await runCli(['send-test', '--destination', 'soar', '--config', config], { env: { ...env, TEST_WEBHOOK_SECRET: '' } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('destinations.soar.secret: environment variable TEST_WEBHOOK_SECRET is not set');
  });
});
