// IP protocols and ports as the policy file writes them: an ACL's `proto` and the ports of its `dst` entries
// (`tag:web:80,443`, `*:8000-8099`), a grant's `ip` entries (`tcp:443`, `udp:53`, `22`, `*`).

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMPV6 = 58;
export const SCTP = 132;

/** A rule's protocols: IANA numbers, or every protocol (a grant's `ip: ["*"]`). */
export type Protocols = readonly number[] | 'any';

/** Without `proto` (or a grant's protocol prefix): TCP, UDP and ICMP, as tailcfg.FilterRule.IPProto documents. */
export const DEFAULT_PROTOCOLS: Protocols = [TCP, UDP, ICMP, ICMPV6];

/** The protocols that have ports; a rule for any other one must allow every port (as Tailscale's packet filter). */
export const PORT_PROTOCOLS: readonly number[] = [TCP, UDP, SCTP];

const NAMED: Record<string, readonly number[]> = {
  tcp: [TCP], udp: [UDP], sctp: [SCTP], icmp: [ICMP, ICMPV6], 'ipv6-icmp': [ICMPV6],
  igmp: [2], ipv4: [4], 'ip-in-ip': [4], egp: [8], igp: [9], gre: [47], esp: [50], ah: [51],
};

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export const ALL_PORTS: PortRange = { first: 0, last: 65535 };

/** `tcp`, `udp`, `icmp`... or an IANA number; undefined when it is neither. */
export function parseProtocol(text: string): readonly number[] | undefined {
  if (Object.hasOwn(NAMED, text)) return NAMED[text];
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const number = Number(text);
  return number <= 255 ? [number] : undefined;
}

/** `*`, `22`, `8000-8099` or a comma-separated list of them; undefined when it is not one. */
export function parsePorts(text: string): PortRange[] | undefined {
  if (text === '*') return [ALL_PORTS];
  const ranges: PortRange[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (match === null) return undefined;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last > 65535 || first > last) return undefined;
    ranges.push({ first, last });
  }
  return ranges;
}

export function coversAllPorts(ranges: readonly PortRange[]): boolean {
  return ranges.some((range) => range.first === 0 && range.last === 65535);
}

export function inPorts(ranges: readonly PortRange[], port: number): boolean {
  return ranges.some((range) => range.first <= port && port <= range.last);
}
