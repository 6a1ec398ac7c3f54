// `tailwatch send-test`: one sample alert straight to one destination (no outbox, no retry), to check a setup.
import type { Alert } from '../alerts/alert.ts';
import type { Config } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import { ConfigError } from '../errors.ts';
import { createDestination } from './create.ts';
import type { HealthResult, SendResult } from './types.ts';

export function sampleAlert(now: Date = new Date()): Alert {
  const time = now.toISOString();
  return {
    alertId: `test-${now.getTime().toString(36)}`,
    revision: 1,
    type: 'RULE',
    ruleId: 'Tailwatch.Send.Test',
    tailnet: 'default',
    severity: 'INFO',
    title: 'tailwatch test alert: this destination is set up correctly',
    dedup: 'send-test',
    eventCount: 1,
    firstEventTime: time,
    lastEventTime: time,
    windowStart: time,
    windowEnd: time,
    logTypes: ['Tailscale.Audit'],
    alertContext: { actor: 'admin@example.com', action: 'UPDATE', target: 'tailnet policy file', note: 'sent by tailwatch send-test' },
    description: 'A sample alert sent by `tailwatch send-test`; nothing happened in your tailnet.',
    runbook: 'Nothing to do: this message only checks delivery.',
    reference: 'https://tailscale.com/kb/1255/log-streaming',
    tags: ['Test'],
    reports: {},
  };
}

export interface SendTestResult {
  health: HealthResult;
  result: SendResult | undefined;
}

export async function sendTest(config: Pick<Config, 'destinations'>, name: string, env: Environment = process.env): Promise<SendTestResult> {
  const destination = config.destinations[name];
  if (destination === undefined) {
    const known = Object.keys(config.destinations).join(', ') || 'none';
    throw new ConfigError(`no destination named "${name}" (configured: ${known})`);
  }
  const target = createDestination(name, destination, env);
  const health = await target.check();
  if (!health.ok) return { health, result: undefined };
  return { health, result: await target.send({ alert: sampleAlert(), enqueuedAt: Date.now(), attempt: 1 }) };
}
