// `ip:port` / `[ipv6]:port` endpoints as they appear in network logs. Redacted or obfuscated text
// (`100.x.x.x:22`, `192.555.66.77:41641`) yields no ip; nothing here throws.
// Every flow rule reads the same endpoints of the same entries, and a tailnet's endpoints repeat across records:
// results are cached per text (bounded), so each distinct endpoint is split and validated about once.
import { isIP } from 'node:net';
import { GenerationCache } from './generation-cache.ts';

export interface Endpoint {
  /** A valid IPv4/IPv6 address, absent when the text holds none. */
  readonly ip?: string | undefined;
  readonly port?: number | undefined;
}

const NO_ENDPOINT: Endpoint = Object.freeze({ ip: undefined, port: undefined });
const endpoints = new GenerationCache<string, Endpoint>(4096);

/** Splits an endpoint; `ip` only when it is a real address (as node:net isIP says). The result is shared and frozen. */
export function parseEndpoint(text: string | undefined): Endpoint {
  return text ? endpoints.get(text, splitEndpoint) : NO_ENDPOINT;
}

function splitEndpoint(text: string): Endpoint {
  const port = endpointPort(text);
  const colon = text.lastIndexOf(':');
  // The common case, `a.b.c.d:port`, is checked here; anything else (IPv6, odd text) by node:net.
  if (colon > 0 && isDottedQuad(text, colon)) return Object.freeze({ ip: text.slice(0, colon), port });
  const host = endpointHost(text);
  return Object.freeze({ ip: host !== undefined && isIP(host) !== 0 ? host : undefined, port });
}

/** text[0, end) is an IPv4 address in node:net's strict form: four decimal octets ≤ 255, no leading zeros. */
function isDottedQuad(text: string, end: number): boolean {
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
      continue;
    }
    const digit = c - 0x30;
    if (digit < 0 || digit > 9 || (digits > 0 && octet === 0)) return false;
    octet = octet * 10 + digit;
    if (octet > 255) return false;
    digits++;
  }
  return dots === 3 && digits > 0;
}

/** The host part of an endpoint as written (not validated): `[v6]:p` → v6, `v4:p` → v4, bare v6 → itself. */
function endpointHost(text: string): string | undefined {
  if (text.charCodeAt(0) === 0x5b) {
    const close = text.indexOf(']');
    return close > 1 ? text.slice(1, close) : undefined;
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return text;
  return colon > 0 ? text.slice(0, colon) : undefined;
}

function endpointPort(text: string): number | undefined {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return undefined;
  if (text.charCodeAt(0) === 0x5b ? text.charCodeAt(colon - 1) !== 0x5d : text.indexOf(':') !== colon) return undefined;
  const length = text.length - colon - 1;
  if (length < 1 || length > 5) return undefined;
  let port = 0;
  for (let i = colon + 1; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    port = port * 10 + digit;
  }
  return port <= 65535 ? port : undefined;
}
