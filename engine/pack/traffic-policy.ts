// A flow record checked against the policy in force at its time (engine/policy), for the shipped policy-drift rule:
// each virtual and subnet traffic entry with a protocol and both endpoints. A flow log calls the logging node's side
// `src` whichever side opened the connection (tailscale net/connstats), so an entry is allowed when the policy
// allows either direction: src → dst on dst's port, or dst → src on src's port.
import type { Inventory, WithInventory } from '../inventory/inventory.ts';
import type { InventoryNode } from '../inventory/records.ts';
import { compilePolicy } from '../policy/compile-policy.ts';
import type { CompiledPolicy } from '../policy/compile-policy.ts';
import { evaluateFlow } from '../policy/evaluate.ts';
import type { Verdict } from '../policy/evaluate.ts';
import type { Principal, PrincipalNode } from '../policy/principal.ts';
import { GenerationCache } from '../schemas/generation-cache.ts';
import type { NetworkEvent, TrafficEntry } from '../schemas/network.ts';
import { dstEndpoints, srcEndpoints } from '../schemas/traffic-endpoints.ts';
import { inventoryNodeLabel, nodeWithAddress } from './flow-fields.ts';

export interface TrafficEnd {
  readonly ip: string;
  readonly port: number;
  /** The node with this IP, from the record or else the inventory. */
  readonly node?: Pick<InventoryNode, 'id' | 'name' | 'user' | 'tags'> | undefined;
  /** `web-1.example.ts.net (tag:web)`, else the IP. */
  readonly label: string;
}

/** Traffic the policy allows in neither direction; `to` is the end on the lower port (the likely server). */
export interface DeniedTraffic {
  readonly kind: 'virtualTraffic' | 'subnetTraffic';
  readonly proto: number;
  readonly from: TrafficEnd;
  readonly to: TrafficEnd;
}

export type TrafficPolicyCheck =
  | { readonly outcome: 'unsupported'; readonly validFrom: number; readonly reasons: readonly string[] }
  | { readonly outcome: 'checked'; readonly validFrom: number; readonly denied: readonly DeniedTraffic[]; readonly unknown: number };

const KINDS = ['virtualTraffic', 'subnetTraffic'] as const;
const compiled = new GenerationCache<string, CompiledPolicy>(8);
const checks = new WeakMap<object, TrafficPolicyCheck | undefined>();

/** The check of one event (computed once per event); undefined without inventory or without a known policy. */
export function checkTrafficPolicy(event: NetworkEvent & WithInventory): TrafficPolicyCheck | undefined {
  if (checks.has(event)) return checks.get(event);
  const check = computeCheck(event);
  checks.set(event, check);
  return check;
}

function computeCheck(event: NetworkEvent & WithInventory): TrafficPolicyCheck | undefined {
  const inventory = event.inventory;
  const policy = inventory?.policy();
  if (inventory === undefined || policy === undefined) return undefined;
  const { validFrom } = policy;
  const compiledPolicy = compiled.get(policy.raw, compilePolicy);
  if (!compiledPolicy.supported) return { outcome: 'unsupported', validFrom, reasons: compiledPolicy.reasons };
  const ends = new Map<string, { principal: Principal; node: TrafficEnd['node'] }>();
  const endOf = (ip: string) => {
    let end = ends.get(ip);
    if (end === undefined) ends.set(ip, (end = resolveEnd(event, inventory, ip)));
    return end;
  };
  const denied = new Map<string, DeniedTraffic>();
  let unknown = 0;
  for (const kind of KINDS) {
    const entries: readonly TrafficEntry[] | undefined = event.event[kind];
    if (entries === undefined) continue;
    const sources = srcEndpoints(entries);
    const destinations = dstEndpoints(entries);
    for (let i = 0; i < entries.length; i++) {
      const proto = entries[i]!.proto;
      const { ip: aIp, port: aPort } = sources[i]!;
      const { ip: bIp, port: bPort } = destinations[i]!;
      if (proto === undefined || aIp === undefined || bIp === undefined || aPort === undefined || bPort === undefined) continue;
      const src = endOf(aIp);
      const dst = endOf(bIp);
      const verdict = either(
        evaluateFlow(compiledPolicy.rules, { proto, src: src.principal, dst: dst.principal, dstPort: bPort }),
        () => evaluateFlow(compiledPolicy.rules, { proto, src: dst.principal, dst: src.principal, dstPort: aPort }),
      );
      if (verdict === 'unknown') unknown++;
      if (verdict !== 'denied') continue;
      const [from, to] = aPort < bPort ? [end(bIp, bPort, dst.node), end(aIp, aPort, src.node)] : [end(aIp, aPort, src.node), end(bIp, bPort, dst.node)];
      denied.set(`${kind} ${proto} ${from.ip} ${to.ip} ${to.port}`, { kind, proto, from, to });
    }
  }
  return { outcome: 'checked', validFrom, denied: [...denied.values()], unknown };
}

/** Allowed if one direction is, denied if both are, unknown otherwise. */
function either(first: Verdict, second: () => Verdict): Verdict {
  if (first === 'allowed') return first;
  const other = second();
  return other === 'allowed' ? other : first === 'unknown' || other === 'unknown' ? 'unknown' : 'denied';
}

function end(ip: string, port: number, node: TrafficEnd['node']): TrafficEnd {
  return { ip, port, node, label: node === undefined ? ip : inventoryNodeLabel(node) };
}

/** The node with this IP as the record names it, else as the inventory knows it, with its owner's roles. */
function resolveEnd(event: NetworkEvent, inventory: Inventory, ip: string): { principal: Principal; node: TrafficEnd['node'] } {
  const logged = nodeWithAddress(event, ip);
  const known = logged === undefined ? inventory.node(ip) : { id: logged.nodeId, name: logged.name, user: logged.user, tags: logged.tags };
  if (known === undefined) return { principal: { ip }, node: undefined };
  const node = { id: known.id, ...(known.name === undefined ? {} : { name: known.name }), ...(known.user === undefined ? {} : { user: known.user }), ...(known.tags === undefined ? {} : { tags: known.tags }) };
  return { principal: { ip, node: principalNode(node, inventory) }, node };
}

/** What the policy can tell of a node: nothing when the record names neither its tags nor its owner. */
function principalNode(node: { tags?: string[]; user?: string }, inventory: Inventory): PrincipalNode | undefined {
  const tags = node.tags ?? [];
  if (tags.length > 0) return { tags };
  if (node.user === undefined) return undefined;
  const owner = inventory.user(node.user);
  return { tags, user: node.user, owner: owner === undefined ? undefined : { roles: owner.role?.split(',') } };
}
