// The detection pack the issue asks for: fixed ids, full metadata, and inline tests that pin title and severity.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../engine/rules/load-rules.ts';

const PACK = [
  'Tailscale.High.Virtual.Traffic.Received',
  'Tailscale.High.Physical.Traffic.Received',
  'Tailscale.SSH.Fanout',
  'Tailscale.Port.Scan',
  'Tailscale.Exit.Node.High.Egress',
  'Tailscale.LogStream.Endpoint.Deleted',
  'Tailscale.Network.Flow.Logging.Disabled',
  'Tailscale.Exit.Flow.Logging.Disabled',
  'Tailscale.Tailnet.Lock.Disabled',
  'Tailscale.User.Approval.Disabled',
  'Tailscale.Admin.Role.Granted',
  'Tailscale.Policy.File.Updated',
  'Tailscale.Auth.Key.Risky.Created',
  'Tailscale.Node.Key.Expiry.Disabled',
  'Tailscale.Webhook.Endpoint.Deleted',
  'Tailscale.Posture.Integration.Deleted',
  'Tailscale.Failed.Requests.Burst',
  'Tailscale.Auth.Key.Created',
  'Tailscale.Node.Created',
  'Tailscale.Correlation.Admin.Grant.Then.Logging.Off',
  'Tailscale.Correlation.Flow.Logging.Off.Then.Egress',
  'Tailscale.Correlation.Auth.Key.Node.Fanout',
];
const TRAFFIC = PACK.slice(0, 5);

describe('the Tailscale detection pack', async () => {
  const rules = await loadRules('rules', { only: PACK });

  it.each(rules.map((loaded) => [loaded.rule.id, loaded] as const))('%s has full metadata and pinned tests', (_id, { rule }) => {
    expect(rule.displayName).toBeTruthy();
    expect(rule.description).toBeTruthy();
    expect(rule.runbook).toBeTruthy();
    expect(rule.reference).toMatch(/^https:\/\/tailscale\.com\/kb\/\d+\//);
    expect(rule.reports?.['MITRE ATT&CK']?.length).toBeGreaterThan(0);
    for (const technique of rule.reports?.['MITRE ATT&CK'] ?? []) expect(technique).toMatch(/^TA\d{4}:T\d{4}(\.\d{3})?$/);
    const tests = rule.tests ?? [];
    expect(tests.some((t) => !t.expected)).toBe(true);
    const positives = tests.filter((t) => t.expected);
    expect(positives.length).toBeGreaterThan(0);
    for (const test of positives) {
      expect(test.title, test.name).toBeTruthy();
      expect(test.severity, test.name).toBeTruthy();
    }
  });

  it('runs the traffic detections as aggregate rules over flow logs', () => {
    for (const { rule } of rules.filter((r) => TRAFFIC.includes(r.rule.id))) {
      expect(rule.kind, rule.id).toBe('aggregate');
      expect(rule.logTypes).toEqual(['Tailscale.Network']);
    }
  });
});
