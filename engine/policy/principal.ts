// One end of a flow as the policy sees it: an IP address, and what is known of the node that has it. Facts that
// are missing make a selector's answer unknown (undefined), never a guess.
import { BlockList, isIP } from 'node:net';

/** true, false, or undefined when the facts to decide are not known. */
export type Tri = boolean | undefined;

export interface PrincipalNode {
  /** The node's tags ([] when untagged: a tagged node has no user identity in the policy). */
  readonly tags: readonly string[];
  /** The owner's login, for an untagged node. */
  readonly user?: string | undefined;
  /** The owner as the tailnet's users know them; undefined when the inventory does not know the user. */
  readonly owner?: { readonly roles: readonly string[] | undefined } | undefined;
}

export interface Principal {
  readonly ip: string;
  /** The node with this IP; undefined when none is known. */
  readonly node?: PrincipalNode | undefined;
}

const TAILNET_RANGES = new BlockList();
TAILNET_RANGES.addSubnet('100.64.0.0', 10, 'ipv4');
TAILNET_RANGES.addSubnet('fd7a:115c:a1e0::', 48, 'ipv6');

/** A Tailscale address (100.64.0.0/10 or fd7a:115c:a1e0::/48): some node's, known or not. */
export function isTailnetAddress(ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && TAILNET_RANGES.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A test on the node's identity: unknown when the IP is a tailnet address of no known node, false when it is no
 * tailnet address at all (a subnet route's or an outside address has no tags or user).
 */
export function identity(principal: Principal, test: (node: PrincipalNode) => Tri): Tri {
  if (principal.node !== undefined) return test(principal.node);
  return isTailnetAddress(principal.ip) ? undefined : false;
}

/** Any of the answers: true if one is true, else unknown if one is unknown, else false. */
export function anyOf<T>(items: readonly T[], test: (item: T) => Tri): Tri {
  let unknown = false;
  for (const item of items) {
    const answer = test(item);
    if (answer === true) return true;
    if (answer === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

/** Both: false if one is false, else unknown if one is unknown, else true. */
export function both(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === undefined || b === undefined ? undefined : true;
}
