// A webhook endpoint was deleted: the notifications it delivered (new nodes, policy changes...) stop arriving.
import { actorLabel, defineRule, z } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Webhook.Endpoint.Deleted',
  displayName: 'Tailscale webhook endpoint deleted',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562'] },
  options: z.object({
    targetTypes: z.array(z.string()).default(['WEBHOOK', 'WEBHOOK_ENDPOINT']).describe('Audit target types (or properties) that name a webhook endpoint.'),
  }),
  description:
    'A webhook endpoint was deleted. Webhooks notify a team of node approvals, policy changes and more; removing one ' +
    'silences those notifications.',
  runbook: 'Confirm with the actor and with the team that consumed the webhook; recreate it if the deletion was not planned.',
  reference: 'https://tailscale.com/kb/1213/webhooks',
  rule: (e, o) =>
    e.event.action === 'DELETE' &&
    (o.targetTypes.includes(e.event.target?.type ?? '') || o.targetTypes.includes(e.event.target?.property ?? '')),
  title: (e) => `Tailscale webhook endpoint ${e.event.target?.name || e.event.target?.id || '?'} deleted by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target, old: e.event.old ?? null }),
  tests: [
    {
      name: 'Webhook deleted',
      expected: true,
      title: 'Tailscale webhook endpoint https://hooks.slack.com/services/T000/B000 deleted by mallory@example.com',
      severity: 'MEDIUM',
      alertContext: { action: 'DELETE' },
      log: {
        eventTime: '2026-07-28T14:00:00.000Z',
        eventGroupID: '7a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'wh1a2b3cCNTRL', name: 'https://hooks.slack.com/services/T000/B000', type: 'WEBHOOK' },
        action: 'DELETE',
        old: { endpointUrl: 'https://hooks.slack.com/services/T000/B000', providerType: 'slack', subscriptions: ['nodeCreated', 'policyUpdate'] },
      },
    },
    {
      name: 'Webhook created',
      expected: false,
      log: {
        eventTime: '2026-07-28T14:05:00.000Z',
        eventGroupID: '7b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'wh9a2b3cCNTRL', name: 'https://soar.example.com/hook', type: 'WEBHOOK' },
        action: 'CREATE',
      },
    },
  ],
});
