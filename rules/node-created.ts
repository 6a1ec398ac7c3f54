// Signal: a node was added to the tailnet (a CREATE on a NODE target). An input of correlations.
import { actorLabel, defineRule } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Node.Created',
  displayName: 'Tailscale node created (signal)',
  logTypes: ['Tailscale.Audit'],
  severity: 'INFO',
  signal: true,
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence', 'Signal'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1136'] },
  description:
    'A node was added: action CREATE on a NODE target. Evidence is indirect: the corpus has NODE targets only in ' +
    'UPDATE records (ACL_TAGS, KEY_EXPIRY_TIME, ALLOWED_IPS), and no sample shows which actor a node added with an ' +
    'auth key names; correlations using this signal assume it is the key’s owner.',
  runbook: 'A signal raises no alert by itself: see the correlation that used it (tailwatch signals lists them).',
  reference: 'https://tailscale.com/kb/1203/audit-logging',
  rule: (e) => e.event.target.type === 'NODE' && e.event.action === 'CREATE',
  title: (e) => `Tailscale node ${e.event.target.name ?? e.event.target.id} created by ${actorLabel(e.event.actor)}`,
  dedup: (e) => e.event.target.id,
  alertContext: (e) => ({ actor: e.event.actor, node: e.event.target }),
  tests: [
    {
      name: 'Node added by a user',
      expected: true,
      title: 'Tailscale node build-9.example.ts.net created by alice@example.com',
      severity: 'INFO',
      alertContext: { node: { id: 'nBuild9CNTRL' } },
      log: {
        eventTime: '2026-07-30T12:02:00.000Z',
        eventGroupID: 'c11e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'NODE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'nBuild9CNTRL', name: 'build-9.example.ts.net', type: 'NODE' },
        action: 'CREATE',
      },
    },
    {
      name: 'Node tags changed (real API record)',
      expected: false,
      log: {
        eventTime: '2026-06-02T19:00:05.558444283Z',
        type: 'CONFIG',
        eventGroupID: 'egExample0000000000000000000000000001',
        origin: 'NODE',
        actor: { id: 'uExample1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice Example' },
        target: { id: 'nAuditTgt1CNTRL', name: 'service-node.example.ts.net', type: 'NODE', isEphemeral: true, property: 'ACL_TAGS' },
        action: 'UPDATE',
        old: '',
        new: ['tag:grafana-pdc'],
      },
    },
  ],
});
