// Tailscale network flow log record (https://tailscale.com/kb/1219/network-flow-logs). Tailscale omits zero
// values (`omitzero`): counters, `proto` (absent on physical traffic), even `src`/`dst`, and node fields.
// Counters are uint64 in Go: plain numbers here (exact up to 2^53). Types hold the documented fields only (see
// documented.ts); parsing keeps the others.
import { z } from 'zod';
import type { Documented } from './documented.ts';
import type { Envelope } from './normalized.ts';

export const TrafficEntry = z.looseObject({
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, ...). */
  proto: z.number().optional(),
  /** `ip:port` or `[ipv6]:port`; parse with parseEndpoint (redacted data holds non-IP text). */
  src: z.string().optional(),
  dst: z.string().optional(),
  txPkts: z.number().optional(),
  txBytes: z.number().optional(),
  rxPkts: z.number().optional(),
  rxBytes: z.number().optional(),
});
export type TrafficEntry = Documented<z.infer<typeof TrafficEntry>>;

export const NodeInfo = z.looseObject({
  nodeId: z.string(),
  /** MagicDNS name, e.g. `laptop.tail1a2b.ts.net`. */
  name: z.string().optional(),
  addresses: z.array(z.string()).optional(),
  os: z.string().optional(),
  /** Owner login; absent on tagged nodes. */
  user: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Set by tailwatch, not Tailscale: the record named no such node and the inventory filled it in. */
  enriched: z.boolean().optional(),
});
export type NodeInfo = Documented<z.infer<typeof NodeInfo>>;

const Traffic = z.array(TrafficEntry).optional();

export const NetworkRecord = z.looseObject({
  nodeId: z.string(),
  start: z.string(),
  end: z.string(),
  logged: z.string().optional(),
  srcNode: NodeInfo.optional(),
  dstNodes: z.array(NodeInfo).optional(),
  virtualTraffic: Traffic,
  subnetTraffic: Traffic,
  exitTraffic: Traffic,
  physicalTraffic: Traffic,
});
export type NetworkRecord = Documented<z.infer<typeof NetworkRecord>>;

export type NetworkEvent = Envelope<NetworkRecord> & { p_log_type: 'Tailscale.Network' };

/** The traffic arrays of a network record, for code that treats them alike. */
export const TRAFFIC_KINDS = ['virtualTraffic', 'subnetTraffic', 'exitTraffic', 'physicalTraffic'] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];
