// Panther-style indicator fields (p_any_*): deduplicated values pulled from an event for searching and joins.
import { isIP } from 'node:net';
import { endpointHost } from './address.ts';
import type { AuditRecord } from './audit.ts';
import type { NetworkRecord, NodeInfo, TrafficEntry } from './network.ts';
import { TRAFFIC_KINDS } from './network.ts';

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
function addLogin(indicators: Indicators, login: string | undefined): void {
  if (!login) return;
  const at = login.indexOf('@');
  if (at < 0) {
    addUnique(indicators.p_any_usernames, login);
    return;
  }
  if (at > 0) addUnique(indicators.p_any_usernames, login.slice(0, at));
  if (EMAIL.test(login)) addUnique(indicators.p_any_emails, login);
}

function addHostName(indicators: Indicators, name: string | undefined): void {
  if (name && HOST_NAME.test(name)) addUnique(indicators.p_any_domain_names, name.endsWith('.') ? name.slice(0, -1) : name);
}

function empty(): Indicators {
  return { p_any_ip_addresses: [], p_any_emails: [], p_any_actor_ids: [], p_any_usernames: [], p_any_domain_names: [] };
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

export function networkIndicators(record: NetworkRecord): Indicators {
  const indicators = empty();
  if (record.srcNode) addNode(indicators, record.srcNode);
  if (record.dstNodes) for (const node of record.dstNodes) addNode(indicators, node);
  indicators.p_any_ip_addresses = trafficIps(record, indicators.p_any_ip_addresses);
  return indicators;
}

function addNode(indicators: Indicators, node: NodeInfo): void {
  addHostName(indicators, node.name);
  addLogin(indicators, node.user);
  if (node.addresses) for (const address of node.addresses) if (isIP(address) !== 0) addUnique(indicators.p_any_ip_addresses, address);
}

/** Valid IPs of every traffic entry, after `known`; each distinct host text is checked once. */
function trafficIps(record: NetworkRecord, known: string[]): string[] {
  const seen = new Set<string>(known);
  const ips = known;
  const visit = (text: string | undefined): void => {
    if (text === undefined) return;
    const host = endpointHost(text);
    if (host === undefined || seen.has(host)) return;
    seen.add(host);
    if (isIP(host) !== 0) ips.push(host);
  };
  for (const kind of TRAFFIC_KINDS) {
    const entries: TrafficEntry[] | undefined = record[kind];
    if (entries === undefined) continue;
    for (const entry of entries) {
      visit(entry.src);
      visit(entry.dst);
    }
  }
  return ips;
}
