// A device posture integration (MDM/EDR) was deleted: posture checks lose their data source.
import { actorLabel, defineRule, z } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Posture.Integration.Deleted',
  displayName: 'Tailscale device posture integration deleted',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.001'] },
  options: z.object({
    targetTypes: z.array(z.string()).default(['POSTURE_INTEGRATION']).describe('Audit target types (or properties) that name a posture integration.'),
  }),
  description:
    'A device posture integration (CrowdStrike, Intune, Jamf, Kandji, SentinelOne...) was deleted. Access rules that ' +
    'require posture attributes from it no longer get fresh data, which can weaken or break device checks.',
  runbook:
    'Confirm with the actor and the endpoint team. If unplanned, recreate the integration with a new API credential ' +
    'and review policy changes made around the same time.',
  reference: 'https://tailscale.com/kb/1288/device-posture',
  rule: (e, o) =>
    e.event.action === 'DELETE' &&
    (o.targetTypes.includes(e.event.target?.type ?? '') || o.targetTypes.includes(e.event.target?.property ?? '')),
  title: (e) => `Tailscale posture integration ${e.event.target?.name || e.event.target?.id || '?'} deleted by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target, old: e.event.old ?? null }),
  tests: [
    {
      name: 'CrowdStrike integration deleted',
      expected: true,
      title: 'Tailscale posture integration falcon deleted by mallory@example.com',
      severity: 'HIGH',
      alertContext: { origin: 'ADMIN_CONSOLE' },
      log: {
        eventTime: '2026-07-28T15:00:00.000Z',
        eventGroupID: '8a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'pi1a2b3cCNTRL', name: 'falcon', type: 'POSTURE_INTEGRATION' },
        action: 'DELETE',
      },
    },
    {
      name: 'Posture integration updated',
      expected: false,
      log: {
        eventTime: '2026-07-28T15:05:00.000Z',
        eventGroupID: '8b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'pi1a2b3cCNTRL', name: 'falcon', type: 'POSTURE_INTEGRATION' },
        action: 'UPDATE',
      },
    },
  ],
});
