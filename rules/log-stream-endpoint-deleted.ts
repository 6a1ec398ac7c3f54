// A log stream (SIEM / S3 export) was deleted or pointed somewhere else: logs are being cut or diverted.
import { actorLabel, defineRule, valueField as field } from '../engine/index.ts';
import type { EventOf } from '../engine/index.ts';

type Audit = EventOf<'Tailscale.Audit'>;

const DESTINATION_KEYS = ['provider', 'endpointURL', 's3Bucket', 's3Region', 's3KeyPrefix', 'gcsBucket', 'gcsKeyPrefix'] as const;

/** `splunk http://...`, `s3 s3://bucket/prefix (us-east-1)`: where the stream delivers. */
function destination(value: unknown): string {
  const url = field(value, 'endpointURL');
  const bucket = field(value, 's3Bucket') || field(value, 'gcsBucket');
  const region = field(value, 's3Region');
  const where = url || (bucket ? `${field(value, 'gcsBucket') ? 'gs' : 's3'}://${bucket}/${field(value, 's3KeyPrefix') || field(value, 'gcsKeyPrefix')}` : '?');
  return `${field(value, 'provider') || 'unknown'} ${where}${region ? ` (${region})` : ''}`;
}

const destinationChanged = (e: Audit): boolean => DESTINATION_KEYS.some((key) => field(e.event.old, key) !== field(e.event.new, key));
const streamType = (e: Audit): string => field(e.event.old, 'logstreamType') || field(e.event.new, 'logstreamType') || 'log';

export default defineRule({
  id: 'Tailscale.LogStream.Endpoint.Deleted',
  displayName: 'Tailscale log streaming endpoint deleted or redirected',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Logging'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.008'] },
  description:
    'A configuration or network-flow log stream was deleted (HIGH) or its destination was changed (MEDIUM). ' +
    'Attackers cut or divert log streaming so their later actions are not seen by the SIEM.',
  runbook:
    'Confirm with the actor that the change was planned (a SIEM migration). If not: recreate the stream to the ' +
    'expected destination, revoke the actor’s sessions and API keys, and review audit logs from the admin console ' +
    'for the period the stream was missing.',
  reference: 'https://tailscale.com/kb/1255/log-streaming',
  rule: (e) =>
    e.event.target?.property === 'LOGSTREAM_ENDPOINT' && (e.event.action === 'DELETE' || (e.event.action === 'UPDATE' && destinationChanged(e))),
  title: (e) =>
    e.event.action === 'DELETE'
      ? `Tailscale ${streamType(e)} log stream to ${destination(e.event.old)} deleted by ${actorLabel(e.event.actor)}`
      : `Tailscale ${streamType(e)} log stream redirected from ${destination(e.event.old)} to ${destination(e.event.new)} by ${actorLabel(e.event.actor)}`,
  dynamicSeverity: (e) => (e.event.action === 'DELETE' ? 'DEFAULT' : 'MEDIUM'),
  alertContext: (e) => ({
    actor: e.event.actor,
    action: e.event.action,
    origin: e.event.origin,
    target: e.event.target,
    logstreamType: streamType(e),
    oldDestination: destination(e.event.old),
    newDestination: e.event.action === 'DELETE' ? null : destination(e.event.new),
  }),
  tests: [
    {
      name: 'Network log stream deleted through the API (real S3 export record)',
      expected: true,
      title: 'Tailscale network log stream to splunk http://[fd7a:115c:a1e0::1]:9999/services/collector/event deleted by OAuth client (OAUTH_CLIENT k3F261FC38A07CNTRL)',
      severity: 'HIGH',
      alertContext: { logstreamType: 'network', newDestination: null, origin: 'CONFIG_API' },
      log: {
        logged: '2026-07-27T12:10:38.403705421Z',
        eventTime: '2026-07-27T12:10:37.74010577Z',
        eventGroupID: '6978254644c9eb58a53aa1b3e27170c1',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'S8C425331F48BCNTRL', name: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' },
        action: 'DELETE',
        old: { endpointURL: 'http://[fd7a:115c:a1e0::1]:9999/services/collector/event', provider: 'splunk', logstreamType: 'network' },
      },
    },
    {
      name: 'Configuration log stream moved to another bucket',
      expected: true,
      title: 'Tailscale configuration log stream redirected from s3 s3://corp-siem-logs/tailscale/ (us-east-1) to s3 s3://exfil-bucket-7731/ (eu-west-1) by mallory@example.com',
      severity: 'MEDIUM',
      log: {
        eventTime: '2026-07-28T09:00:00.000Z',
        eventGroupID: '0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'S4641357A59EDCNTRL', name: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' },
        action: 'UPDATE',
        old: { provider: 's3', logstreamType: 'configuration', s3Region: 'us-east-1', s3Bucket: 'corp-siem-logs', s3KeyPrefix: 'tailscale/' },
        new: { provider: 's3', logstreamType: 'configuration', s3Region: 'eu-west-1', s3Bucket: 'exfil-bucket-7731' },
      },
    },
    {
      name: 'Update that keeps the destination (credential rotation)',
      expected: false,
      log: {
        eventTime: '2026-07-28T09:05:00.000Z',
        eventGroupID: '1d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'S4641357A59EDCNTRL', name: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' },
        action: 'UPDATE',
        old: { provider: 'splunk', logstreamType: 'configuration', endpointURL: 'https://splunk.example.com:8088' },
        new: { provider: 'splunk', logstreamType: 'configuration', endpointURL: 'https://splunk.example.com:8088' },
      },
    },
    {
      name: 'Log stream created (real S3 export record)',
      expected: false,
      log: {
        logged: '2026-07-27T12:10:29.541584439Z',
        eventTime: '2026-07-27T12:10:27.726411266Z',
        eventGroupID: 'f846956bdb059dc565e74ad4503580bb',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'S9D5BAF788833CNTRL', name: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' },
        action: 'CREATE',
        new: { provider: 's3', logstreamType: 'configuration', s3Region: 'us-east-1', s3Bucket: 'example-export-bucket' },
      },
    },
  ],
});
