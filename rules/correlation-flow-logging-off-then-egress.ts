// Flow logging switched off, then heavy egress through an exit node in the same tailnet: evasion before exfiltration.
import { correlationStep, defineCorrelationRule, z } from '../engine/index.ts';

const GiB = 2 ** 30;

const loggingOff = (minute: number, property = 'NETWORK_FLOW_LOGGING') => ({
  eventTime: `2026-07-30T14:${String(minute).padStart(2, '0')}:00.000Z`,
  eventGroupID: `f${minute}1e2f3a4b5c6d7e8f90a1b2c3d4e5f6`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
  action: 'DISABLE',
});
/** A record logged by the exit node: a client's traffic it forwarded to the internet. */
const exitFlow = (minute: number, bytes: number) => ({
  nodeId: 'nExit1CNTRL',
  start: `2026-07-30T14:${String(minute).padStart(2, '0')}:00.000Z`,
  end: `2026-07-30T14:${String(minute).padStart(2, '0')}:05.000Z`,
  srcNode: { nodeId: 'nExit1CNTRL', name: 'exit-fra.example.ts.net', addresses: ['100.64.9.1'], tags: ['tag:exit'] },
  exitTraffic: [{ proto: 6, src: '100.64.1.9:52000', dst: '203.0.113.50:443', txPkts: 100_000, txBytes: bytes, rxPkts: 50_000, rxBytes: 2_000_000 }],
});

export default defineCorrelationRule({
  id: 'Tailscale.Correlation.Flow.Logging.Off.Then.Egress',
  displayName: 'Tailscale flow logging disabled, then high egress',
  logTypes: ['Tailscale.Audit', 'Tailscale.Network'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Exfiltration', 'Correlation'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.008', 'TA0010:T1048'] },
  options: z.object({
    withinMinutes: z.int().min(1).max(1440).default(60).describe('How soon after logging was disabled the egress counts, in minutes.'),
  }),
  description:
    'Tailscale.Network.Flow.Logging.Disabled or Tailscale.Exit.Flow.Logging.Disabled, then Tailscale.Exit.Node.High.Egress ' +
    'in the same tailnet within withinMinutes (joined on the tailnet: the audit record names no node). Evidence is ' +
    'indirect: flow records still arrive after the switch (nodes pick it up late, or only exit flows were turned ' +
    'off), and the audit and flow watermarks both have to pass the egress before this fires.',
  runbook:
    'Re-enable flow logging, then find the client behind the egress source address (the chain names the egress alert) ' +
    'and isolate it until its owner explains the upload.',
  reference: 'https://tailscale.com/kb/1219/network-flow-logs',
  correlate: (o) => ({
    type: 'sequence',
    steps: [
      correlationStep({ rules: ['Tailscale.Network.Flow.Logging.Disabled', 'Tailscale.Exit.Flow.Logging.Disabled'], logType: 'Tailscale.Audit', keys: {} }),
      correlationStep({ rules: ['Tailscale.Exit.Node.High.Egress'], logType: 'Tailscale.Network', keys: {} }),
    ],
    on: 'tailnet',
    withinMinutes: o.withinMinutes,
  }),
  title: (chain) => `Tailscale: high egress through an exit node ${chain.withinMinutes} minutes or less after flow logging was disabled in ${chain.key.value}`,
  alertContext: (chain) => ({ loggingOff: chain.links[0]?.title, egress: chain.links[1]?.title }),
  tests: [
    {
      name: 'Flow logging off, then 6 GiB through the exit node',
      expected: true,
      alerts: 1,
      title: 'Tailscale: high egress through an exit node 60 minutes or less after flow logging was disabled in default',
      dedup: 'tailnet:default',
      severity: 'HIGH',
      alertContext: {
        correlation: 'sequence',
        chain: [
          { ruleId: 'Tailscale.Network.Flow.Logging.Disabled', eventTime: '2026-07-30T14:00:00.000Z' },
          { ruleId: 'Tailscale.Exit.Node.High.Egress', logType: 'Tailscale.Network' },
        ],
      },
      logs: [loggingOff(0), exitFlow(10, 2 * GiB), exitFlow(15, 2 * GiB), exitFlow(20, 2 * GiB)],
    },
    {
      name: 'Exit flow logging off, then egress',
      expected: true,
      title: 'Tailscale: high egress through an exit node 60 minutes or less after flow logging was disabled in default',
      severity: 'HIGH',
      logs: [loggingOff(0, 'LOG_EXIT_FLOWS'), exitFlow(30, 6 * GiB)],
    },
    {
      name: 'Egress below the exit-node threshold',
      expected: false,
      logs: [loggingOff(0), exitFlow(10, 1 * GiB), exitFlow(15, 1 * GiB)],
    },
    {
      name: 'Egress before logging was disabled',
      expected: false,
      logs: [exitFlow(0, 6 * GiB), loggingOff(20)],
    },
  ],
});
