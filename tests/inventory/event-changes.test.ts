// Webhook and audit events update the inventory as they arrive, as of their own time: a rule on a later flow sees
// the change, a flow from before it does not, and the event itself never sees what it teaches.
import { describe, expect, it } from 'vitest';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import { runRule } from '../../engine/testing/run-rule.ts';
import { auditRecord, networkRecord } from '../rules/events.ts';
import { webhookEvent } from '../support/tailscale-webhook-sender.ts';

const seen: unknown[] = [];
const probe = defineRule({
  id: 'Test.Inventory.Probe',
  logTypes: ['Tailscale.Network', 'Tailscale.Audit', 'Tailscale.Webhook'],
  severity: 'INFO',
  dedupPeriodMinutes: 1,
  rule: (e) => {
    const inventory = e.inventory;
    seen.push({
      tags: inventory?.node('nFlowSrc1CNTRL')?.tags,
      role: inventory?.user('bob@example.com')?.role,
      status: inventory?.user('uBob1CNTRL')?.status,
      policy: inventory?.policy()?.raw,
      expired: inventory?.node('nFlowSrc1CNTRL')?.keyExpired,
      gone: inventory?.node('nGone1CNTRL') === undefined,
    });
    return false;
  },
});

const run = (logs: unknown[], inventory = true) => {
  seen.length = 0;
  runRule(probe, logs, inventory ? { inventory: { users: [{ id: 'uBob1CNTRL', loginName: 'bob@example.com', role: 'member' }], nodes: [{ id: 'nGone1CNTRL' }] } } : {});
  return [...seen];
};

const at = (minute: number) => new Date(Date.parse('2026-06-03T15:00:00Z') + minute * 60_000).toISOString();

describe('inventory from events', () => {
  it('applies an audit tag change from its time on, not to its own event or to a flow from before it', () => {
    const tags = auditRecord(5, { target: { id: 'nFlowSrc1CNTRL', name: 'node-a.example.ts.net', type: 'NODE', property: 'ACL_TAGS' }, action: 'UPDATE', old: [], new: ['tag:prod'] });
    const views = run([tags, networkRecord(6), networkRecord(4)]);
    expect(views.map((v) => (v as { tags?: string[] }).tags)).toEqual([undefined, ['tag:prod'], undefined]);
  });

  it('applies webhook user and node events, resolving a login to the user id the inventory knows', () => {
    const views = run([
      webhookEvent('userRoleUpdated', at(1), { user: 'bob@example.com', oldRoles: ['member'], newRoles: ['admin'] }),
      webhookEvent('userSuspended', at(2), { user: 'bob@example.com' }),
      webhookEvent('nodeKeyExpired', at(3), { nodeID: 'nFlowSrc1CNTRL', deviceName: 'node-a.example.ts.net' }),
      webhookEvent('nodeDeleted', at(4), { nodeID: 'nGone1CNTRL', deviceName: 'gone' }),
      webhookEvent('policyUpdate', at(5), { oldPolicy: '{}', newPolicy: '{"acls":[]}' }),
      networkRecord(10),
    ]);
    expect(views.at(-1)).toEqual({ tags: undefined, role: 'admin', status: 'suspended', policy: '{"acls":[]}', expired: true, gone: true });
    expect(views[0]).toMatchObject({ role: 'member', gone: false });
  });

  it('records who added a node and when a user was created, from webhook and audit events', () => {
    const facts: unknown[] = [];
    const creations = defineRule({
      id: 'Test.Inventory.Creations',
      logTypes: ['Tailscale.Network'],
      severity: 'INFO',
      dedupPeriodMinutes: 1,
      rule: (e) => {
        facts.push(['nHook1CNTRL', 'nAudit1CNTRL'].map((id) => e.inventory?.node(id)?.createdBy), ['carol@example.com', 'uDave1CNTRL'].map((ref) => e.inventory?.user(ref)?.created));
        return false;
      },
    });
    runRule(creations, [
      webhookEvent('nodeNeedsApproval', at(1), { nodeID: 'nHook1CNTRL', deviceName: 'laptop', managedBy: 'mallory@example.com', actor: 'mallory@example.com' }),
      auditRecord(2, { target: { id: 'nAudit1CNTRL', name: 'ci-1.example.ts.net', type: 'NODE' }, action: 'CREATE', origin: 'NODE' }),
      webhookEvent('userCreated', at(3), { user: 'carol@example.com' }),
      auditRecord(4, { target: { id: 'uDave1CNTRL', name: 'dave@example.com', type: 'USER' }, action: 'CREATE' }),
      networkRecord(10),
    ], { inventory: {} });
    expect(facts).toEqual([['mallory@example.com', 'alice@example.com'], [at(3), at(4)]]);
  });

  it('leaves `inventory` undefined without one', () => {
    expect(run([networkRecord(1)], false)).toEqual([{ tags: undefined, role: undefined, status: undefined, policy: undefined, expired: undefined, gone: true }]);
  });
});
