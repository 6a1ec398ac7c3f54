// Key expiry was disabled on a node: its key never has to be re-authenticated, a classic persistence step.
import { actorLabel, defineRule, z } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Node.Key.Expiry.Disabled',
  displayName: 'Tailscale node key expiry disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1098'] },
  options: z.object({
    allowedNodes: z.array(z.string()).default([]).describe('Node names or ids (e.g. servers and subnet routers) whose key expiry is expected to be disabled.'),
  }),
  description:
    'Key expiry was disabled for a node, so the node stays connected without its user ever re-authenticating. ' +
    'Normal for servers; on a laptop or an unknown node it keeps a stolen or rogue device in the tailnet.',
  runbook:
    'Check the node in the admin console (owner, OS, tags, when it was added). If it is not a server that needs it, ' +
    're-enable key expiry and confirm with its owner. Add expected nodes to the allowedNodes option.',
  reference: 'https://tailscale.com/kb/1028/key-expiry',
  rule: (e, o) =>
    e.event.action === 'DISABLE' &&
    e.event.target?.property === 'KEY_EXPIRY' &&
    !o.allowedNodes.includes(e.event.target?.name ?? '') &&
    !o.allowedNodes.includes(e.event.target?.id ?? ''),
  title: (e) => `Tailscale key expiry disabled on node ${e.event.target?.name ?? e.event.target?.id ?? '?'} by ${actorLabel(e.event.actor)}`,
  dedup: (e) => e.event.target?.id ?? '',
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target }),
  tests: [
    {
      name: 'Key expiry disabled on a laptop',
      expected: true,
      title: 'Tailscale key expiry disabled on node mallory-laptop.example.ts.net by mallory@example.com',
      dedup: 'nLaptop1CNTRL',
      severity: 'MEDIUM',
      alertContext: { target: { id: 'nLaptop1CNTRL', name: 'mallory-laptop.example.ts.net', type: 'NODE', property: 'KEY_EXPIRY' } },
      log: {
        eventTime: '2026-07-28T13:00:00.000Z',
        eventGroupID: '6a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'nLaptop1CNTRL', name: 'mallory-laptop.example.ts.net', type: 'NODE', property: 'KEY_EXPIRY' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Key expiry disabled on an allowed server',
      expected: false,
      options: { allowedNodes: ['db-1.example.ts.net'] },
      log: {
        eventTime: '2026-07-28T13:05:00.000Z',
        eventGroupID: '6b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'nDb1CNTRL', name: 'db-1.example.ts.net', type: 'NODE', property: 'KEY_EXPIRY' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Key expiry time extended (Datadog sample)',
      expected: false,
      log: {
        actor: { displayName: 'Alice Architect', loginName: 'alice@example.com', id: '123456CNTRL', type: 'USER' },
        eventGroupID: '12345',
        new: '2023-01-14T20:13:30.134350003Z',
        old: '0001-01-01T00:00:00Z',
        origin: 'NODE',
        eventTime: '2022-07-20T20:13:30.136022207Z',
        action: 'UPDATE',
        deferredAt: '0001-01-01T00:00:00Z',
        target: { name: 'node1.yak-bebop.ts.net', property: 'KEY_EXPIRY_TIME', id: '654321CNTRL', type: 'NODE' },
      },
    },
  ],
});
