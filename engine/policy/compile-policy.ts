// A tailnet policy file (HuJSON) compiled for evaluation: its `acls` and `grants` as access rules, each one source
// list, one destination and the protocols and ports it allows. A policy that uses anything outside the supported
// subset is compiled to the list of what it uses, never to rules: evaluating part of it would be a guess.
import { parseHuJson } from './hujson.ts';
import { ALL_PORTS, DEFAULT_PROTOCOLS, parsePorts, parseProtocol } from './protocols.ts';
import type { PortRange, Protocols } from './protocols.ts';
import { compileSelector, Unsupported } from './selectors.ts';
import type { Selector, SelectorContext } from './selectors.ts';

export interface Capability {
  readonly protocols: Protocols;
  readonly ports: readonly PortRange[];
}

export interface AccessRule {
  /** Where it comes from: `acls[0]`, `grants[2]`. */
  readonly at: string;
  readonly sources: readonly Selector[];
  readonly destination: Selector;
  readonly capabilities: readonly Capability[];
}

export type CompiledPolicy =
  | { readonly supported: true; readonly rules: readonly AccessRule[] }
  | { readonly supported: false; readonly reasons: readonly string[] };

/** Sections that do not change which IP traffic is allowed (postures and ipsets only matter where referenced). */
const IGNORED_SECTIONS = new Set([
  'tagOwners', 'autoApprovers', 'ssh', 'sshTests', 'tests', 'nodeAttrs', 'derpMap', 'disableIPv4', 'randomizeClientPort', 'OneCGNATRoute', 'postures', 'ipsets',
]);
const ACL_FIELDS = new Set(['action', 'src', 'users', 'dst', 'ports', 'proto']);
const GRANT_FIELDS = new Set(['src', 'dst', 'ip']);
const MAX_REASONS = 20;

type Json = Record<string, unknown>;

export function compilePolicy(raw: string): CompiledPolicy {
  let policy: unknown;
  try {
    policy = parseHuJson(raw);
  } catch (error) {
    return { supported: false, reasons: [`not HuJSON (${(error as Error).message})`] };
  }
  if (!isObject(policy)) return { supported: false, reasons: ['not a JSON object'] };
  const reasons: string[] = [];
  const rules: AccessRule[] = [];
  const attempt = (at: string, compile: () => void) => {
    try {
      compile();
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      reasons.push(`${at}: ${error.message}`);
    }
  };
  for (const section of Object.keys(policy)) {
    if (!['acls', 'grants', 'groups', 'hosts'].includes(section) && !IGNORED_SECTIONS.has(section)) reasons.push(`section "${section}"`);
  }
  let context: SelectorContext = { groups: new Map(), hosts: new Map() };
  attempt('groups', () => (context = { ...context, groups: stringLists(policy['groups'], 'groups') }));
  attempt('hosts', () => (context = { ...context, hosts: strings(policy['hosts'], 'hosts') }));
  // Tailscale allows everything when the file has neither section (tailscale/tailscale#2799: by design).
  if (policy['acls'] === undefined && policy['grants'] === undefined) rules.push({ at: 'default', sources: [() => true], destination: () => true, capabilities: [{ protocols: 'any', ports: [ALL_PORTS] }] });
  for (const [i, acl] of list(policy['acls'], 'acls', reasons).entries()) attempt(`acls[${i}]`, () => rules.push(...aclRules(acl, `acls[${i}]`, context)));
  for (const [i, grant] of list(policy['grants'], 'grants', reasons).entries()) attempt(`grants[${i}]`, () => rules.push(...grantRules(grant, `grants[${i}]`, context)));
  return reasons.length === 0 ? { supported: true, rules } : { supported: false, reasons: reasons.slice(0, MAX_REASONS) };
}

function aclRules(acl: unknown, at: string, context: SelectorContext): AccessRule[] {
  if (!isObject(acl)) throw new Unsupported('not an object');
  for (const field of Object.keys(acl)) if (!ACL_FIELDS.has(field)) throw new Unsupported(`field "${field}"`);
  if (acl['action'] !== 'accept') throw new Unsupported(`action ${JSON.stringify(acl['action'])}`);
  const sources = stringArray(acl['src'] ?? acl['users'], 'src').map((text) => compileSelector(text, context));
  const protocols = acl['proto'] === undefined ? DEFAULT_PROTOCOLS : protocolOf(acl['proto']);
  return stringArray(acl['dst'] ?? acl['ports'], 'dst').map((entry) => {
    const { target, ports } = splitDestination(entry);
    return { at, sources, destination: compileSelector(target, context), capabilities: [{ protocols, ports }] };
  });
}

function grantRules(grant: unknown, at: string, context: SelectorContext): AccessRule[] {
  if (!isObject(grant)) throw new Unsupported('not an object');
  for (const field of Object.keys(grant)) if (!GRANT_FIELDS.has(field)) throw new Unsupported(`field "${field}"`);
  const sources = stringArray(grant['src'], 'src').map((text) => compileSelector(text, context));
  const capabilities = stringArray(grant['ip'], 'ip').map(capabilityOf);
  return stringArray(grant['dst'], 'dst').map((target) => ({ at, sources, destination: compileSelector(target, context), capabilities }));
}

/** A grant's `ip` entry: `*`, `<ports>`, or `<protocol>:<ports>`. */
function capabilityOf(entry: string): Capability {
  if (entry === '*') return { protocols: 'any', ports: [ALL_PORTS] };
  const colon = entry.indexOf(':');
  const protocols = colon < 0 ? DEFAULT_PROTOCOLS : parseProtocol(entry.slice(0, colon));
  const ports = parsePorts(colon < 0 ? entry : entry.slice(colon + 1));
  if (protocols === undefined || ports === undefined) throw new Unsupported(`ip "${entry}"`);
  return { protocols, ports };
}

function protocolOf(value: unknown): readonly number[] {
  const protocols = typeof value === 'string' ? parseProtocol(value.toLowerCase()) : undefined;
  if (protocols === undefined) throw new Unsupported(`proto ${JSON.stringify(value)}`);
  return protocols;
}

/** An ACL destination, `<target>:<ports>` (`tag:web:443`, `[fd7a:115c:a1e0::1]:22`, `10.0.0.0/8:*`). */
function splitDestination(entry: string): { target: string; ports: PortRange[] } {
  const colon = entry.lastIndexOf(':');
  const ports = colon < 0 ? undefined : parsePorts(entry.slice(colon + 1));
  if (ports === undefined) throw new Unsupported(`dst "${entry}" (no ports)`);
  const target = entry.slice(0, colon);
  return { target: target.startsWith('[') && target.endsWith(']') ? target.slice(1, -1) : target, ports };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, section: string, reasons: string[]): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  reasons.push(`${section}: not a list`);
  return [];
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Unsupported(`${field} is not a list of strings`);
  return value;
}

function strings(value: unknown, section: string): Map<string, string> {
  if (value === undefined) return new Map();
  if (!isObject(value) || !Object.values(value).every((item) => typeof item === 'string')) throw new Unsupported(`${section} is not a map of strings`);
  return new Map(Object.entries(value as Record<string, string>));
}

function stringLists(value: unknown, section: string): Map<string, string[]> {
  if (value === undefined) return new Map();
  if (!isObject(value)) throw new Unsupported(`${section} is not a map`);
  return new Map(Object.entries(value).map(([name, members]) => [name, stringArray(members, `${section} "${name}"`)]));
}
