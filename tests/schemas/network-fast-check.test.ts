// The hand-written network and audit checks must never accept what zod refuses, nor hand over a record that differs
// from what zod would return. Checked on every record of the corpus and on thousands of mutations of them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeBuffer } from '../../engine/decode/index.ts';
import { AuditRecord } from '../../engine/schemas/audit.ts';
import { isAuditRecord } from '../../engine/schemas/audit-fast-check.ts';
import { DEFAULT_PARSE_SETTINGS, NetworkRecord, parseRecord } from '../../engine/schemas/index.ts';
import { isNetworkRecord } from '../../engine/schemas/network-fast-check.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const corpus = join(import.meta.dirname, '../../fixtures/corpus');

function corpusRecords(isOfType: (record: Record<string, unknown>) => boolean): Json[] {
  const records: Json[] = [];
  for (const file of readdirSync(corpus).filter((f) => f !== 'README.md')) {
    for (const result of decodeBuffer(readFileSync(join(corpus, file)), file)) {
      if (!result.ok) continue;
      const value = result.value as { event?: Json };
      const record = (typeof value.event === 'object' && value.event !== null ? value.event : value) as Record<string, unknown>;
      if (isOfType(record)) records.push(record as Json);
    }
  }
  return records;
}

const seeds: Json[] = [
  ...corpusRecords((record) => typeof record.nodeId === 'string'),
  {
    nodeId: 'nFull', start: '2026-06-02T18:59:54Z', end: '2026-06-02T18:59:59Z', logged: '2026-06-02T19:00:01Z',
    srcNode: { nodeId: 'nFull', name: 'a.ts.net', addresses: ['100.64.0.1', 'fd7a:115c:a1e0::1'], os: 'linux', user: 'bob@example.com', tags: ['tag:x'] },
    dstNodes: [{ nodeId: 'nDst', addresses: [] }],
    virtualTraffic: [{ proto: 6, src: '100.64.0.1:22', dst: '[fd7a:115c:a1e0::2]:443', txPkts: 1, txBytes: 2, rxPkts: 3, rxBytes: 4 }],
    subnetTraffic: [{ proto: 17, src: '10.0.0.1:53', dst: '10.0.0.2:53' }],
    exitTraffic: [{}],
    physicalTraffic: [],
  },
];

/** Values put in place of each field: every JSON type, edge numbers, texts that are not IPs. */
const REPLACEMENTS: Json[] = [
  null, true, false, 0, -1.5, 2 ** 53 + 2, 2 ** 64, 1e308, '', 'x', '100.x.x.x:22', '192.555.66.77:41641', '[fd7a::1]:80',
  [], [null], [1], ['a'], [{}], [[]], {}, { nodeId: 'n' }, { src: 5 },
];
/** JSON texts whose values zod sees as neither a finite number nor anything else it accepts. */
const PARSED_REPLACEMENTS = ['1e400', '-1e400', '{"__proto__":{"nodeId":"n"}}'];

function paths(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...path, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) paths(item, [...path, key], out);
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Applies `change` to the container at path[:-1] of a fresh copy of seed. */
function mutate(seed: Json, path: Path, change: (parent: Record<string | number, unknown>, key: string | number) => void): Json {
  const copy = clone(seed);
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  change(parent, path[path.length - 1] as string | number);
  return copy;
}

function mutations(seed: Json): Json[] {
  const out: Json[] = [seed];
  for (const path of paths(seed)) {
    const target = path.reduce<unknown>((value, step) => (value as Record<string | number, unknown>)[step], seed);
    if (path.length > 0) {
      out.push(mutate(seed, path, (parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key])));
      for (const value of REPLACEMENTS) out.push(mutate(seed, path, (parent, key) => (parent[key] = clone(value))));
      for (const text of PARSED_REPLACEMENTS) out.push(mutate(seed, path, (parent, key) => (parent[key] = JSON.parse(text))));
    }
    if (Array.isArray(target)) {
      for (const value of [null, 1, 'x', {}, { nodeId: 'n' }]) out.push(mutate(seed, [...path, target.length], (parent, key) => (parent[key] = value)));
    } else if (typeof target === 'object' && target !== null) {
      out.push(mutate(seed, [...path, 'extra'], (parent, key) => (parent[key] = { deep: [1, { a: null }] })));
      // An own `__proto__` field, as JSON.parse creates it.
      out.push(JSON.parse(JSON.stringify(mutate(seed, [...path, 'marker'], (parent, key) => (parent[key] = 1))).replace('"marker":1', '"__proto__":{"x":1}')) as Json);
    }
  }
  return out;
}

function hasOwnProto(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.hasOwn(value, '__proto__') || Object.values(value).some(hasOwnProto);
}

describe('isNetworkRecord (the fast path) against the zod NetworkRecord schema', () => {
  const cases = seeds.flatMap(mutations);

  it('accepts only what zod accepts, exactly as zod would return it, and refuses nothing zod accepts', () => {
    let accepted = 0;
    let refused = 0;
    for (const record of cases) {
      const fast = typeof record === 'object' && record !== null && !Array.isArray(record) && isNetworkRecord(record);
      const zod = NetworkRecord.safeParse(record);
      if (fast) {
        accepted += 1;
        expect(zod.success, JSON.stringify(record)).toBe(true);
        expect(isDeepStrictEqual(zod.data, record), JSON.stringify(record)).toBe(true);
      } else {
        refused += 1;
        // zod drops an own `__proto__` field: those records take the zod path on purpose.
        if (!hasOwnProto(record)) expect(zod.success, JSON.stringify(record)).toBe(false);
      }
    }
    expect(cases.length).toBeGreaterThan(3000);
    expect(accepted).toBeGreaterThan(cases.length / 8);
    expect(refused).toBeGreaterThan(cases.length / 2);
  });

  it('parseRecord gives the same event either way, and zod still words the rejects', () => {
    const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 's', sourceLabel: 's' };
    for (const seed of seeds) {
      const fast = parseRecord(seed, context);
      // A class instance is not a plain object: the fast path refuses it and zod copies it.
      const viaZod = parseRecord(Object.assign(new (class Copy {})(), seed), context);
      expect(fast.ok && viaZod.ok).toBe(true);
      if (fast.ok && viaZod.ok) {
        expect(fast.event.event).toBe(seed);
        expect(viaZod.event.event).not.toBe(seed);
        expect({ ...fast.event, p_row_id: '' }).toEqual({ ...viaZod.event, p_row_id: '' });
        expect(fast.eventTimeMs).toBe(Date.parse(fast.event.p_event_time));
      }
    }
    const bad = parseRecord({ ...(seeds[0] as object), virtualTraffic: [{ txBytes: JSON.parse('1e400') as number }] }, context);
    expect(bad).toMatchObject({ ok: false, reason: 'schema_mismatch', message: expect.stringContaining('virtualTraffic[0].txBytes') });
  });
});

const auditSeeds: Json[] = [
  ...corpusRecords((record) => 'action' in record && 'actor' in record),
  {
    eventGroupID: 'g', origin: 'ADMIN_CONSOLE', action: 'UPDATE', actionDetails: 'd', error: '', deferredAt: '2026-06-02T19:00:00Z',
    eventTime: '2026-06-02T19:00:05Z', logged: '2026-06-02T19:00:06Z', type: 'CONFIG', old: { a: [1] }, new: null,
    actor: { id: 'u', type: 'USER', loginName: 'a@example.com', displayName: 'A', tags: ['tag:x'] },
    target: { id: 't', name: 'n', type: 'NODE', property: 'KEY_EXPIRY', isEphemeral: true },
  },
];

describe('isAuditRecord (the fast path) against the zod AuditRecord schema', () => {
  const cases = auditSeeds.flatMap(mutations);

  it('accepts only what zod accepts, exactly as zod would return it, and refuses nothing zod accepts', () => {
    let accepted = 0;
    for (const record of cases) {
      const fast = typeof record === 'object' && record !== null && !Array.isArray(record) && isAuditRecord(record);
      const zod = AuditRecord.safeParse(record);
      if (fast) {
        accepted += 1;
        expect(zod.success, JSON.stringify(record)).toBe(true);
        expect(isDeepStrictEqual(zod.data, record), JSON.stringify(record)).toBe(true);
      } else if (!hasOwnProto(record)) {
        expect(zod.success, JSON.stringify(record)).toBe(false);
      }
    }
    expect(cases.length).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(cases.length / 8);
  });

  it('parseRecord gives the same event either way', () => {
    const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 's', sourceLabel: 's' };
    let parsed = 0;
    for (const seed of auditSeeds) {
      const fast = parseRecord(seed, context);
      const viaZod = parseRecord(Object.assign(new (class Copy {})(), seed), context);
      // Some corpus records carry no time of their own (their envelope did): both paths reject those alike.
      expect(fast).toMatchObject(viaZod.ok ? { ok: true } : viaZod);
      if (fast.ok && viaZod.ok) {
        parsed += 1;
        expect(fast.event.event).toBe(seed);
        expect({ ...fast.event, p_row_id: '' }).toEqual({ ...viaZod.event, p_row_id: '' });
      }
    }
    expect(parsed).toBeGreaterThan(1);
  });
});
