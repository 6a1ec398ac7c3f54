// `ip:port` / `[ipv6]:port` endpoints as they appear in network logs. Redacted or obfuscated text
// (`100.x.x.x:22`, `192.555.66.77:41641`) yields no ip; nothing here throws.
import { isIP } from 'node:net';

export interface Endpoint {
  /** A valid IPv4/IPv6 address, absent when the text holds none. */
  ip?: string | undefined;
  port?: number | undefined;
}

/** Splits an endpoint; `ip` only when it is a real address (node:net isIP). */
export function parseEndpoint(text: string | undefined): Endpoint {
  if (!text) return {};
  const host = endpointHost(text);
  const port = endpointPort(text);
  return { ip: host !== undefined && isIP(host) !== 0 ? host : undefined, port };
}

/** The host part of an endpoint as written (not validated): `[v6]:p` → v6, `v4:p` → v4, bare v6 → itself. */
export function endpointHost(text: string): string | undefined {
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
