// A node that waited for device approval was approved by the user who added it: device approval is a second pair of
// eyes, and an admin approving their own new device (or a stolen admin session doing so) skips it.
import { actorLabel, defineRule, inventoryNodeLabel, z } from '../engine/index.ts';
import type { AuditEvent, InventoryNode, WebhookEvent, WithInventory } from '../engine/index.ts';

type ApprovalEvent = (AuditEvent | WebhookEvent) & WithInventory;

interface Approval {
  nodeId: string;
  /** The approver's login. */
  approver: string;
  approverLabel: string;
}

/** The node approval the event reports (webhook nodeApproved, audit APPROVE of a NODE), with its approver's login. */
function approvalOf(e: ApprovalEvent): Approval | undefined {
  if (e.p_log_type === 'Tailscale.Webhook') {
    const { type, data } = e.event;
    if (type !== 'nodeApproved' || !data?.nodeID || !data.actor) return undefined;
    return { nodeId: data.nodeID, approver: data.actor, approverLabel: data.actor };
  }
  const { target, actor, action, error } = e.event;
  if (target.type !== 'NODE' || action !== 'APPROVE' || (error !== undefined && error !== '') || !actor.loginName) return undefined;
  return { nodeId: target.id, approver: actor.loginName, approverLabel: actorLabel(actor) };
}

/** Who added the node: the actor of its first event, else (indirect) its owner. */
const creatorOf = (node: InventoryNode): string | undefined => node.createdBy ?? node.user;

/** The node, as of the approval, when it was waiting for approval and its creator approved it. */
function selfApproved(e: ApprovalEvent, trusted: readonly string[]): { node: InventoryNode; approval: Approval } | undefined {
  const approval = approvalOf(e);
  const node = approval === undefined ? undefined : e.inventory?.node(approval.nodeId);
  if (approval === undefined || node?.authorized !== false || trusted.includes(approval.approver)) return undefined;
  return creatorOf(node)?.toLowerCase() === approval.approver.toLowerCase() ? { node, approval } : undefined;
}

/** As the poll shows a node waiting for approval; its webhook nodeNeedsApproval added createdBy. */
const POLLED = { id: 'nLaptop7CNTRL', name: 'laptop-7.example.ts.net', user: 'mallory@example.com', authorized: false };
const NEEDS_APPROVAL = { ...POLLED, createdBy: 'mallory@example.com' };
const nodeApproved = (actor: string) => ({
  timestamp: '2026-08-12T10:04:00.5Z', version: 1, type: 'nodeApproved', tailnet: 'example.com', message: 'Node laptop-7 approved',
  data: { nodeID: 'nLaptop7CNTRL', deviceName: 'laptop-7', managedBy: 'mallory@example.com', actor, url: 'https://login.tailscale.com/admin/machines/100.64.0.77' },
});
const auditApproval = (loginName: string) => ({
  eventTime: '2026-08-12T10:04:00.000Z',
  eventGroupID: 'b71e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uMallory1CNTRL', type: 'USER', loginName, displayName: 'Mallory' },
  target: { id: 'nLaptop7CNTRL', name: 'laptop-7.example.ts.net', type: 'NODE' },
  action: 'APPROVE',
});

export default defineRule({
  id: 'Tailscale.Node.Self.Approved',
  displayName: 'Tailscale node approved by the user who added it',
  logTypes: ['Tailscale.Webhook', 'Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Inventory', 'Defense Evasion', 'Persistence'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562', 'TA0003:T1098'] },
  options: z.object({
    trustedApprovers: z.array(z.string()).default([]).describe('Logins allowed to approve their own nodes (e.g. the only admin of a small tailnet): no alert.'),
  }),
  description:
    'A node approval (webhook nodeApproved: the node is data.nodeID, the approver data.actor; or an audit APPROVE of a ' +
    'NODE: target.id, approver actor.loginName) of a node that the tailnet inventory, as of the approval, shows ' +
    'waiting for approval (authorized false: webhook nodeNeedsApproval, or a poll) and added by the approver. The ' +
    'creator is the actor of the node’s webhook nodeNeedsApproval or nodeCreated, or of the audit NODE CREATE (kept ' +
    'as createdBy). Evidence is indirect: Tailscale documents data.actor as the user who caused the event, which for ' +
    'nodeNeedsApproval is taken to be the login that added the device; without such an event the node’s owner (API ' +
    '`user`) stands in for the creator. Without inventory the rule never matches.',
  runbook:
    'Ask the user why they approved their own device, and whether another admin should have. If unexpected: remove ' +
    'the node, check what it reached since the approval, and review the account’s sessions and keys.',
  reference: 'https://tailscale.com/kb/1099/device-approval',
  rule: (e, o) => selfApproved(e, o.trustedApprovers) !== undefined,
  title: (e, o) => {
    const hit = selfApproved(e, o.trustedApprovers);
    return `Tailscale node ${hit === undefined ? '?' : inventoryNodeLabel(hit.node)} approved by ${hit?.approval.approverLabel ?? '?'}, who added it`;
  },
  dedup: (e) => approvalOf(e)?.nodeId ?? '',
  alertContext: (e, o) => {
    const hit = selfApproved(e, o.trustedApprovers);
    return { nodeId: hit?.node.id, name: hit?.node.name, createdBy: hit?.node.createdBy, owner: hit?.node.user, approver: hit?.approval.approver };
  },
  tests: [
    {
      name: 'Webhook nodeApproved by the user who added the node',
      expected: true,
      title: 'Tailscale node laptop-7.example.ts.net (mallory@example.com) approved by mallory@example.com, who added it',
      dedup: 'nLaptop7CNTRL',
      severity: 'MEDIUM',
      alertContext: { createdBy: 'mallory@example.com', approver: 'mallory@example.com' },
      inventory: { nodes: [NEEDS_APPROVAL] },
      log: nodeApproved('mallory@example.com'),
    },
    {
      name: 'Audit APPROVE by the creator (no createdBy: the owner stands in)',
      expected: true,
      dedup: 'nLaptop7CNTRL',
      inventory: { nodes: [POLLED] },
      log: auditApproval('mallory@example.com'),
    },
    {
      name: 'Approved by another admin',
      expected: false,
      inventory: { nodes: [NEEDS_APPROVAL] },
      log: nodeApproved('alice@example.com'),
    },
    {
      name: 'A node that was not waiting for approval',
      expected: false,
      inventory: { nodes: [{ ...NEEDS_APPROVAL, authorized: true }] },
      log: nodeApproved('mallory@example.com'),
    },
    {
      name: 'A trusted approver',
      expected: false,
      options: { trustedApprovers: ['mallory@example.com'] },
      inventory: { nodes: [NEEDS_APPROVAL] },
      log: auditApproval('mallory@example.com'),
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      log: nodeApproved('mallory@example.com'),
    },
  ],
});
