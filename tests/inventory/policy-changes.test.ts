// The policy in force as a rule sees it: learned from an audit ACL change or a webhook policyUpdate as of the
// event's time, with the time its version became true; the same policy polled later as JSON is not a new version.
import { describe, expect, it } from 'vitest';
import { memoryInventory } from '../../engine/inventory/memory.ts';
import { POLICY_ID } from '../../engine/inventory/records.ts';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import { runRule } from '../../engine/testing/run-rule.ts';
import { auditRecord, networkRecord, T0_MS } from '../rules/events.ts';
import { webhookEvent } from '../support/tailscale-webhook-sender.ts';

const seen: unknown[] = [];
const probe = defineRule({
  id: 'Test.Policy.Probe',
  logTypes: ['Tailscale.Network'],
  severity: 'INFO',
  dedupPeriodMinutes: 1,
  rule: (e) => {
    seen.push(e.inventory?.policy());
    return false;
  },
});

const run = (logs: unknown[]) => {
  seen.length = 0;
  runRule(probe, logs, { inventory: { policy: { raw: '{"acls": []}', validFrom: '2026-06-01T00:00:00Z' } } });
  return [...seen];
};

const NEW = '{\n  // tightened\n  "grants": [{"src": ["group:eng"], "dst": ["tag:db"], "ip": ["tcp:5432"]},],\n}';

describe('policy versions', () => {
  it('learns the policy from an audit update of the tailnet ACL, valid from the record\'s time', () => {
    const update = auditRecord(5, { target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' }, action: 'UPDATE', old: '{"acls": []}', new: NEW });
    expect(run([networkRecord(4), update, networkRecord(6)])).toEqual([
      { raw: '{"acls": []}', validFrom: Date.parse('2026-06-01T00:00:00Z') },
      { raw: NEW, validFrom: T0_MS + 5 * 60_000 },
    ]);
  });

  it('learns the policy from a webhook policyUpdate', () => {
    const at = new Date(T0_MS + 2 * 60_000).toISOString();
    expect(run([webhookEvent('policyUpdate', at, { oldPolicy: '{"acls": []}', newPolicy: NEW }), networkRecord(3)])).toEqual([{ raw: NEW, validFrom: T0_MS + 2 * 60_000 }]);
  });

  it('ignores a failed update', () => {
    const failed = auditRecord(5, { target: { id: 'example.com', type: 'TAILNET', property: 'ACL' }, action: 'UPDATE', old: '{}', new: NEW, error: 'invalid policy' });
    expect(run([failed, networkRecord(6)])).toEqual([{ raw: '{"acls": []}', validFrom: Date.parse('2026-06-01T00:00:00Z') }]);
  });
});

describe('policy versions in the store', () => {
  const change = (validFrom: number, raw: string, origin: string) => ({ tailnet: 'acme.com', kind: 'policy' as const, id: POLICY_ID, validFrom, learnedAt: validFrom, origin, record: { raw } });

  it('keeps one version when a poll returns as JSON the policy an audit record gave as HuJSON', () => {
    const { store, tracker } = memoryInventory();
    expect(store.apply(change(1000, NEW, 'audit'))).toBe(true);
    expect(store.apply(change(5000, JSON.stringify({ grants: [{ src: ['group:eng'], dst: ['tag:db'], ip: ['tcp:5432'] }] }), 'poll'))).toBe(false);
    expect(tracker.reader.at('acme.com', 9000, 9000).policy()).toEqual({ raw: NEW, validFrom: 1000 });
  });

  it('stores a changed policy as a new version', () => {
    const { store } = memoryInventory();
    store.apply(change(1000, NEW, 'audit'));
    expect(store.apply(change(5000, '{"grants": []}', 'poll'))).toBe(true);
  });
});
