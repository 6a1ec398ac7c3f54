// A user made admin, then that user switched off log streaming or flow logging: escalation followed by evasion.
import { correlationStep, defineCorrelationRule, z } from '../engine/index.ts';

const audit = (minute: number, actor: string, target: Record<string, unknown>, action: string, extra: Record<string, unknown> = {}) => ({
  eventTime: `2026-07-28T16:${String(minute).padStart(2, '0')}:00.000Z`,
  eventGroupID: `e${minute}1e2f3a4b5c6d7e8f90a1b2c3d4e5f6`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: actor, type: 'USER', loginName: `${actor.slice(1, -5).toLowerCase()}@example.com`, displayName: actor },
  target,
  action,
  ...extra,
});
const grant = (minute: number, user: string) =>
  audit(minute, 'uAlice1CNTRL', { id: user, name: `${user.slice(1, -5).toLowerCase()}@example.com`, type: 'USER', property: 'USER_ROLE' }, 'UPDATE', { old: 'member', new: 'admin' });
const flowLoggingOff = (minute: number, actor: string) =>
  audit(minute, actor, { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'NETWORK_FLOW_LOGGING' }, 'DISABLE');
const streamDeleted = (minute: number, actor: string) =>
  audit(minute, actor, { id: 'S8C425331F48BCNTRL', name: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' }, 'DELETE', {
    old: { provider: 'splunk', logstreamType: 'network', endpointURL: 'https://splunk.example.com:8088/services/collector/event' },
  });

export default defineCorrelationRule({
  id: 'Tailscale.Correlation.Admin.Grant.Then.Logging.Off',
  displayName: 'Tailscale new admin turns off logging',
  logTypes: ['Tailscale.Audit'],
  severity: 'CRITICAL',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Privilege Escalation', 'Defense Evasion', 'Correlation'],
  reports: { 'MITRE ATT&CK': ['TA0004:T1098.003', 'TA0005:T1562.008'] },
  options: z.object({
    withinMinutes: z.int().min(1).max(1440).default(60).describe('How soon after the grant the logging change counts, in minutes.'),
  }),
  description:
    'Tailscale.Admin.Role.Granted for a user (its target.id), then, by that same user (actor.id), ' +
    'Tailscale.LogStream.Endpoint.Deleted, Tailscale.Network.Flow.Logging.Disabled or Tailscale.Exit.Flow.Logging.Disabled ' +
    'within withinMinutes. A fresh admin blinding the SOC is the pattern of a takeover.',
  runbook:
    'Treat as an account takeover: suspend the user, restore the log stream and flow logging, revert the role, and ' +
    'review everything both the granting actor and the user did since the grant.',
  reference: 'https://tailscale.com/kb/1138/user-roles',
  correlate: (o) => ({
    type: 'sequence',
    steps: [
      correlationStep({ rules: ['Tailscale.Admin.Role.Granted'], logType: 'Tailscale.Audit', keys: { user: (e) => e.event.target.id } }),
      correlationStep({
        rules: ['Tailscale.LogStream.Endpoint.Deleted', 'Tailscale.Network.Flow.Logging.Disabled', 'Tailscale.Exit.Flow.Logging.Disabled'],
        logType: 'Tailscale.Audit',
        keys: { user: (e) => e.event.actor.id },
      }),
    ],
    on: 'user',
    withinMinutes: o.withinMinutes,
  }),
  title: (chain) => `Tailscale: ${chain.key.value} was made admin and then ${chain.links[1]?.ruleId === 'Tailscale.LogStream.Endpoint.Deleted' ? 'deleted a log stream endpoint' : 'disabled flow logging'} within ${chain.withinMinutes} minutes`,
  alertContext: (chain) => ({ user: chain.key.value, granted: chain.links[0]?.eventTime, loggingOff: chain.links[1]?.eventTime }),
  tests: [
    {
      name: 'Granted admin, disabled flow logging 20 minutes later',
      expected: true,
      alerts: 1,
      title: 'Tailscale: uBob1CNTRL was made admin and then disabled flow logging within 60 minutes',
      dedup: 'user:uBob1CNTRL',
      severity: 'CRITICAL',
      alertContext: {
        correlation: 'sequence',
        chain: [
          { ruleId: 'Tailscale.Admin.Role.Granted', eventTime: '2026-07-28T16:00:00.000Z', keys: { user: 'uBob1CNTRL' } },
          { ruleId: 'Tailscale.Network.Flow.Logging.Disabled', eventTime: '2026-07-28T16:20:00.000Z', keys: { user: 'uBob1CNTRL' } },
        ],
      },
      logs: [grant(0, 'uBob1CNTRL'), flowLoggingOff(20, 'uBob1CNTRL')],
    },
    {
      name: 'Granted admin, deleted the log stream',
      expected: true,
      title: 'Tailscale: uBob1CNTRL was made admin and then deleted a log stream endpoint within 60 minutes',
      severity: 'CRITICAL',
      logs: [grant(0, 'uBob1CNTRL'), streamDeleted(45, 'uBob1CNTRL')],
    },
    {
      name: 'Someone else disabled flow logging',
      expected: false,
      logs: [grant(0, 'uBob1CNTRL'), flowLoggingOff(20, 'uCarol1CNTRL')],
    },
    {
      name: 'Logging disabled before the grant',
      expected: false,
      logs: [flowLoggingOff(0, 'uBob1CNTRL'), grant(10, 'uBob1CNTRL')],
    },
    {
      name: 'Logging disabled outside a shorter window',
      expected: false,
      options: { withinMinutes: 15 },
      logs: [grant(0, 'uBob1CNTRL'), flowLoggingOff(20, 'uBob1CNTRL')],
    },
  ],
});
