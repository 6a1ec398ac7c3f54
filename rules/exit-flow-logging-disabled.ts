// Logging of exit-node traffic was turned off: internet-bound traffic through exit nodes stops being recorded.
import { actorLabel, defineRule } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Exit.Flow.Logging.Disabled',
  displayName: 'Tailscale exit node flow logging disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Logging'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.008'] },
  description:
    'Logging of exit node flows was disabled: traffic that leaves the tailnet through exit nodes is no longer in flow logs, ' +
    'which hides exfiltration to the internet.',
  runbook: 'Confirm the change with the actor (privacy requirements are a legitimate reason); otherwise re-enable "Log exit node traffic".',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  rule: (e) => e.event.action === 'DISABLE' && e.event.target?.property === 'LOG_EXIT_FLOWS',
  title: (e) => `Tailscale exit node flow logging disabled for ${e.event.target?.name ?? e.event.target?.id ?? 'the tailnet'} by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target }),
  tests: [
    {
      name: 'Exit flow logging disabled through the API',
      expected: true,
      title: 'Tailscale exit node flow logging disabled for example.com by OAuth client (OAUTH_CLIENT k3F261FC38A07CNTRL)',
      severity: 'MEDIUM',
      alertContext: { origin: 'CONFIG_API' },
      log: {
        eventTime: '2026-07-28T10:00:00.000Z',
        eventGroupID: '3a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'LOG_EXIT_FLOWS' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Network flow logging disabled (another rule)',
      expected: false,
      log: {
        eventTime: '2026-07-28T10:05:00.000Z',
        eventGroupID: '3b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' },
        action: 'DISABLE',
      },
    },
  ],
});
