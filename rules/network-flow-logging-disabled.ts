// Network flow logging was turned off for the tailnet: traffic stops being recorded.
import { actorLabel, defineRule } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Network.Flow.Logging.Disabled',
  displayName: 'Tailscale network flow logging disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Logging'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.008'] },
  description: 'Network flow logging was disabled: from now on no node reports who talked to whom, and traffic detections go blind.',
  runbook:
    'Ask the actor why; re-enable network flow logs (Logs › Network flow logs) unless there is an approved reason. ' +
    'Review what the actor changed in the hour around this event.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  rule: (e) => e.event.action === 'DISABLE' && e.event.target?.property === 'NETWORK_FLOW_LOGGING',
  title: (e) => `Tailscale network flow logging disabled for ${e.event.target?.name ?? e.event.target?.id ?? 'the tailnet'} by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target }),
  tests: [
    {
      name: 'Flow logging disabled in the admin console',
      expected: true,
      title: 'Tailscale network flow logging disabled for example.com by mallory@example.com',
      severity: 'HIGH',
      alertContext: { origin: 'ADMIN_CONSOLE', action: 'DISABLE' },
      log: {
        eventTime: '2026-07-28T10:00:00.000Z',
        eventGroupID: '2a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Flow logging enabled',
      expected: false,
      log: {
        eventTime: '2026-07-28T10:05:00.000Z',
        eventGroupID: '2b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' },
        action: 'ENABLE',
      },
    },
  ],
});
