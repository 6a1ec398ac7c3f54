// `host:port` (IPv6 in brackets) → the parts node:net wants.
import { ConfigError } from '../errors.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

const PATTERN = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

export function parseListenAddress(text: string): ListenAddress {
  const match = PATTERN.exec(text);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new ConfigError(`listen address "${text}" must be host:port (IPv6 as [::1]:8088)`);
  return { host: match[1] ?? match[2] ?? '', port };
}

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
