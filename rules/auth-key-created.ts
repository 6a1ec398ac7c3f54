// Signal: an auth key (a key that adds nodes, not an API access token) was created. An input of correlations.
import { actorLabel, defineRule, keyCapabilities } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Auth.Key.Created',
  displayName: 'Tailscale auth key created (signal)',
  logTypes: ['Tailscale.Audit'],
  severity: 'INFO',
  signal: true,
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence', 'Signal'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1098.001'] },
  description:
    'Any auth key was created: an API_KEY target created with node capabilities (the S3 export shows them in ' +
    '`new.capabilities`, e.g. ONE_OFF_NODE_AUTH, EPHEMERAL; API access tokens carry CONTROL_API scopes instead). ' +
    'Recorded as a signal for correlation rules; Tailscale.Auth.Key.Risky.Created alerts on the risky ones.',
  runbook: 'A signal raises no alert by itself: see the correlation that used it (tailwatch signals lists them).',
  reference: 'https://tailscale.com/kb/1085/auth-keys',
  rule: (e) => e.event.target.type === 'API_KEY' && e.event.action === 'CREATE' && !keyCapabilities(e.event.new).some((c) => c.startsWith('CONTROL_API')),
  title: (e) => `Tailscale auth key ${e.event.target.id} created by ${actorLabel(e.event.actor)}`,
  dedup: (e) => e.event.target.id,
  alertContext: (e) => ({ actor: e.event.actor, key: e.event.target.id, capabilities: keyCapabilities(e.event.new) }),
  tests: [
    {
      name: 'One-off ephemeral key (real S3 export record)',
      expected: true,
      title: 'Tailscale auth key kA925C82D335ACNTRL created by OAuth client (OAUTH_CLIENT k3F261FC38A07CNTRL)',
      severity: 'INFO',
      alertContext: { key: 'kA925C82D335ACNTRL', capabilities: ['ONE_OFF_NODE_AUTH', 'EPHEMERAL'] },
      log: {
        logged: '2026-07-27T12:10:49.053320545Z',
        eventTime: '2026-07-27T12:10:48.689105685Z',
        eventGroupID: '496c539b4cbb942448326f849f777608',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'kA925C82D335ACNTRL', name: 'Auth key', type: 'API_KEY' },
        action: 'CREATE',
        new: { expires: '2026-07-27 12:15:48.688963096 +0000 UTC', capabilities: ['ONE_OFF_NODE_AUTH', 'EPHEMERAL'], domainLevel: true, authTags: ['tag:ci'] },
      },
    },
    {
      name: 'Auth key revoked (real S3 export record)',
      expected: false,
      log: {
        logged: '2026-07-27T12:10:49.572275636Z',
        eventTime: '2026-07-27T12:10:49.030924255Z',
        eventGroupID: 'fa6bb94263bf8c066c567aabd7d3110d',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'kA925C82D335ACNTRL', name: 'Auth key', type: 'API_KEY' },
        action: 'REVOKE',
      },
    },
    {
      name: 'API access token (Datadog sample)',
      expected: false,
      log: {
        actor: { displayName: 'Alice Architect', loginName: 'alice@example.com', id: '123456CNTRL', type: 'USER' },
        eventGroupID: '23456',
        new: { expires: '2022-10-18 18:40:58.653877012 +0000 UTC', capabilities: ['CONTROL_API_SCOPE_ALL_READ', 'CONTROL_API_SCOPE_ALL'] },
        origin: 'ADMIN_UI',
        eventTime: '2022-07-20T18:40:58.838529518Z',
        action: 'CREATE',
        target: { name: 'Control API key', id: '789123CNTRL', type: 'API_KEY' },
      },
    },
  ],
});
