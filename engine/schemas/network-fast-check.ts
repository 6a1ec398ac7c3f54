// A hand-written check of the hot shape: network records, ~98% of the stream. It accepts exactly what the zod
// NetworkRecord schema accepts for JSON values (tests/schemas/network-fast-check.test.ts holds it to that), and
// the record is then used as it is: no copy. zod stays the source of the types and of the error messages: a record
// this check refuses goes through NetworkRecord.safeParse.
import type { NetworkRecord } from './network.ts';

type Fields = Record<string, unknown>;

/** A plain object whose fields are all its own (zod copies own and inherited fields alike, dropping `__proto__`). */
export function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, '__proto__');
}

export function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** z.number() refuses NaN and ±Infinity (JSON.parse turns 1e400 into Infinity). */
function optionalNumber(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && value - value === 0);
}

export function optionalStrings(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

function isTrafficEntry(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return optionalNumber(value.proto) && optionalString(value.src) && optionalString(value.dst) && optionalNumber(value.txPkts) &&
    optionalNumber(value.txBytes) && optionalNumber(value.rxPkts) && optionalNumber(value.rxBytes);
}

function optionalTraffic(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTrafficEntry(value[i])) return false;
  return true;
}

function isNodeInfo(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return typeof value.nodeId === 'string' && optionalString(value.name) && optionalStrings(value.addresses) && optionalString(value.os) &&
    optionalString(value.user) && optionalStrings(value.tags);
}

function optionalNodes(value: unknown): boolean {
  if (value === undefined) return true;
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isNodeInfo(value[i])) return false;
  return true;
}

/** True when zod's NetworkRecord would accept `record` and return a deep-equal copy of it. */
export function isNetworkRecord(record: Fields): record is NetworkRecord {
  return isPlainObject(record) && typeof record.nodeId === 'string' && typeof record.start === 'string' && typeof record.end === 'string' &&
    optionalString(record.logged) && (record.srcNode === undefined || isNodeInfo(record.srcNode)) && optionalNodes(record.dstNodes) &&
    optionalTraffic(record.virtualTraffic) && optionalTraffic(record.subnetTraffic) && optionalTraffic(record.exitTraffic) &&
    optionalTraffic(record.physicalTraffic);
}
