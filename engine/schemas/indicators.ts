// Panther-style indicator fields (p_any_*): deduplicated values pulled from an event for searching and joins.
import { isIP } from 'node:net';
import { parseEndpoint } from './address.ts';
import type { AuditRecord } from './audit.ts';
import type { NetworkRecord, NodeInfo } from './network.ts';
import { TRAFFIC_KINDS } from './network.ts';
import type { WebhookRecord } from './webhook.ts';

export interface Indicators {
  p_any_ip_addresses: string[];
  p_any_emails: string[];
  p_any_actor_ids: string[];
  p_any_usernames: string[];
  p_any_domain_names: string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Dot-separated labels ending in an alphabetic TLD (so IP addresses and free text are not host names). */
const HOST_NAME = /^(?=.{1,253}\.?$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** A login (`alice@example.com`, `alice@github`): an email when it looks like one; its local part as user name. */
function addLogin(indicators: NetworkIndicators, login: string | undefined): void {
  if (!login) return;
  const at = login.indexOf('@');
  if (at < 0) {
    addUnique(indicators.p_any_usernames, login);
    return;
  }
  if (at > 0) addUnique(indicators.p_any_usernames, login.slice(0, at));
  if (EMAIL.test(login)) addUnique(indicators.p_any_emails, login);
}

function addHostName(indicators: NetworkIndicators, name: string | undefined): void {
  if (name && HOST_NAME.test(name)) addUnique(indicators.p_any_domain_names, name.endsWith('.') ? name.slice(0, -1) : name);
}

function empty(): Indicators {
  return { p_any_ip_addresses: [], p_any_emails: [], p_any_actor_ids: [], p_any_usernames: [], p_any_domain_names: [] };
}

function emptyNetwork(): NetworkIndicators {
  return { p_any_emails: [], p_any_actor_ids: [], p_any_usernames: [], p_any_domain_names: [] };
}

export function auditIndicators(record: AuditRecord): Indicators {
  const indicators = empty();
  indicators.p_any_actor_ids.push(record.actor.id);
  addLogin(indicators, record.actor.loginName);
  const targetName = record.target.name;
  if (targetName !== undefined && EMAIL.test(targetName)) addLogin(indicators, targetName);
  else addHostName(indicators, targetName);
  return indicators;
}

/** The actor and user logins, and the device name when it is a MagicDNS name. */
export function webhookIndicators(record: WebhookRecord): Indicators {
  const indicators = empty();
  addLogin(indicators, record.data?.actor);
  addLogin(indicators, record.data?.user);
  addHostName(indicators, record.data?.deviceName);
  return indicators;
}

/** Network indicators but p_any_ip_addresses, which networkIps computes (on demand: it visits every entry). */
export type NetworkIndicators = Omit<Indicators, 'p_any_ip_addresses'>;

export function networkIndicators(record: NetworkRecord): NetworkIndicators {
  const indicators = emptyNetwork();
  if (record.srcNode) addNode(indicators, record.srcNode);
  if (record.dstNodes) for (const node of record.dstNodes) addNode(indicators, node);
  return indicators;
}

function addNode(indicators: NetworkIndicators, node: NodeInfo): void {
  // Node names are MagicDNS names by construction: no host-name check needed.
  if (node.name) addUnique(indicators.p_any_domain_names, node.name.endsWith('.') ? node.name.slice(0, -1) : node.name);
  addLogin(indicators, node.user);
}

/** Valid IPs of the nodes and of every traffic entry, each once, in the order they appear. */
export function networkIps(record: NetworkRecord): string[] {
  const ips = new Set<string>();
  for (const node of [record.srcNode, ...(record.dstNodes ?? [])]) {
    for (const address of node?.addresses ?? []) if (isIP(address) !== 0) ips.add(address);
  }
  for (const kind of TRAFFIC_KINDS) {
    for (const entry of record[kind] ?? []) {
      const src = parseEndpoint(entry.src).ip;
      if (src !== undefined) ips.add(src);
      const dst = parseEndpoint(entry.dst).ip;
      if (dst !== undefined) ips.add(dst);
    }
  }
  return [...ips];
}
