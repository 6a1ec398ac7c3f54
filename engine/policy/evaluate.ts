// Whether a compiled policy allows one packet's worth of traffic: source → destination, protocol and destination
// port. Rules only add access (deny by default), so the answer is allowed if any rule allows it, unknown if none does
// but one might with the facts that are missing, denied otherwise.
import type { AccessRule, Capability } from './compile-policy.ts';
import { anyOf, both } from './principal.ts';
import type { Principal, Tri } from './principal.ts';
import { ICMP, ICMPV6, PORT_PROTOCOLS, coversAllPorts, inPorts } from './protocols.ts';

export interface PolicyFlow {
  /** IANA protocol number. */
  readonly proto: number;
  readonly src: Principal;
  readonly dst: Principal;
  /** The destination port (ignored for protocols without ports). */
  readonly dstPort: number;
}

export type Verdict = 'allowed' | 'denied' | 'unknown';

export function evaluateFlow(rules: readonly AccessRule[], flow: PolicyFlow): Verdict {
  const answer = anyOf(rules, (rule) => ruleAllows(rule, flow));
  return answer === true ? 'allowed' : answer === false ? 'denied' : 'unknown';
}

function ruleAllows(rule: AccessRule, flow: PolicyFlow): Tri {
  if (!rule.capabilities.some((capability) => capabilityAllows(capability, flow))) return false;
  return both(anyOf(rule.sources, (source) => source(flow.src)), rule.destination(flow.dst));
}

function capabilityAllows({ protocols, ports }: Capability, { proto, dstPort }: PolicyFlow): boolean {
  // Tailscale's packet filter lets ICMP through to any address the source may reach at all (wgengine/filter).
  if (proto === ICMP || proto === ICMPV6) return true;
  if (protocols !== 'any' && !protocols.includes(proto)) return false;
  return PORT_PROTOCOLS.includes(proto) ? inPorts(ports, dstPort) : coversAllPorts(ports);
}
