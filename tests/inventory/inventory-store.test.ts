// The inventory store and its reader: only changes are kept, a version is seen as of the event's time AND only once
// learned by the event's stream position, lookups by id, name, tailnet IP and login, deletions and their tombstones,
// fields only events give surviving a poll, a per-thread read-only handle on the data directory, and the export file
// round trip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../engine/errors.ts';
import { importVersions, loadRecordedInventory, readInventoryFile, writeInventoryFile } from '../../engine/inventory/export-file.ts';
import { memoryInventory } from '../../engine/inventory/memory.ts';
import { openInventoryReader } from '../../engine/inventory/reader.ts';
import { InventoryStore } from '../../engine/inventory/store.ts';
import { openDatabase } from '../../engine/state/database.ts';

const T = (iso: string) => Date.parse(iso);
const node = { id: 'nAbc1CNTRL', name: 'web-1.example.ts.net', hostname: 'web-1', user: 'alice@example.com', tags: ['tag:web'], addresses: ['100.64.0.7'] };
const base = { tailnet: 'acme', kind: 'node' as const, id: node.id, origin: 'poll' };

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailwatch-inventory-'));
  dirs.push(dir);
  return dir;
};

describe('inventory store', () => {
  it('keeps only changes (field order and lastSeen alone make no version)', () => {
    const { store } = memoryInventory();
    expect(store.apply({ ...base, validFrom: T('2026-08-10T09:00:00Z'), learnedAt: 0, record: node })).toBe(true);
    expect(store.apply({ ...base, validFrom: T('2026-08-10T09:10:00Z'), learnedAt: 1, record: { ...node, lastSeen: '2026-08-10T09:09:00Z' } })).toBe(false);
    expect(store.apply({ ...base, validFrom: T('2026-08-10T09:20:00Z'), learnedAt: 2, record: Object.fromEntries(Object.entries(node).reverse()) })).toBe(false);
    expect(store.apply({ ...base, validFrom: T('2026-08-10T09:30:00Z'), learnedAt: 3, record: { ...node, tags: ['tag:prod'] } })).toBe(true);
    expect(store.versions().map((v) => v.record?.['tags'])).toEqual([['tag:web'], ['tag:prod']]);
  });

  it('answers as of the event time, among versions learned by the stream position', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, validFrom: T('2026-08-10T09:00:00Z'), learnedAt: T('2026-08-10T09:00:00Z'), record: node });
    // Tagged tag:prod at 10:00, but learned only when the stream had reached 10:30.
    store.apply({ ...base, validFrom: T('2026-08-10T10:00:00Z'), learnedAt: T('2026-08-10T10:30:00Z'), record: { ...node, tags: ['tag:prod'] } });
    const at = (time: string, position: string) => tracker.reader.at('acme', T(time), T(position)).node(node.id)?.tags;
    expect(at('2026-08-10T09:30:00Z', '2026-08-10T11:00:00Z')).toEqual(['tag:web']);
    expect(at('2026-08-10T10:04:00Z', '2026-08-10T10:05:00Z')).toEqual(['tag:web']);
    expect(at('2026-08-10T10:04:00Z', '2026-08-10T10:30:00Z')).toEqual(['tag:prod']);
    expect(tracker.reader.at('acme', T('2026-08-10T08:59:00Z'), T('2026-08-10T11:00:00Z')).node(node.id)).toBeUndefined();
    expect(tracker.reader.at('other', T('2026-08-10T09:30:00Z'), T('2026-08-10T11:00:00Z')).node(node.id)).toBeUndefined();
  });

  it('finds a node by MagicDNS name, first label, hostname and tailnet IP, a user by login; not after a rename or deletion', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    store.apply({ tailnet: 'acme', kind: 'user', id: 'uAlice', origin: 'poll', validFrom: 0, learnedAt: 0, record: { id: 'uAlice', loginName: 'alice@example.com', role: 'admin' } });
    store.apply({ ...base, validFrom: 100, learnedAt: 100, record: { ...node, name: 'db-1.example.ts.net', hostname: 'db-1' } });
    store.apply({ ...base, validFrom: 200, learnedAt: 200, record: null });
    const early = tracker.reader.at('acme', 50, 50);
    for (const ref of ['nAbc1CNTRL', 'web-1.example.ts.net', 'web-1', '100.64.0.7']) expect(early.node(ref)?.id).toBe(node.id);
    expect(early.user('alice@example.com')?.role).toBe('admin');
    const renamed = tracker.reader.at('acme', 150, 150);
    expect(renamed.node('web-1')).toBeUndefined();
    expect(renamed.node('db-1')?.id).toBe(node.id);
    expect(tracker.reader.at('acme', 250, 250).node(node.id)).toBeUndefined();
  });

  it('keeps a deleted node as a tombstone: its last record and deletion time, as of the event time and stream position', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    store.apply({ ...base, validFrom: 100, learnedAt: 100, record: { ...node, tags: ['tag:prod'] } });
    // Deleted at 09:00, learned only when the stream reached 09:30.
    store.apply({ ...base, validFrom: T('2026-08-10T09:00:00Z'), learnedAt: T('2026-08-10T09:30:00Z'), record: null });
    const at = (time: string, position: string) => tracker.reader.at('acme', T(time), T(position));
    const tombstone = { record: { ...node, tags: ['tag:prod'] }, deletedAt: '2026-08-10T09:00:00.000Z' };
    for (const ref of [node.id, 'web-1.example.ts.net', '100.64.0.7']) expect(at('2026-08-10T09:10:00Z', '2026-08-10T09:30:00Z').deletedNode(ref)).toEqual(tombstone);
    expect(at('2026-08-10T09:10:00Z', '2026-08-10T09:30:00Z').node(node.id)).toBeUndefined();
    // Before the deletion, or before the stream learned it: the node, no tombstone.
    expect(at('2026-08-10T08:59:00Z', '2026-08-10T09:30:00Z').deletedNode(node.id)).toBeUndefined();
    expect(at('2026-08-10T09:10:00Z', '2026-08-10T09:20:00Z').deletedNode(node.id)).toBeUndefined();
    expect(at('2026-08-10T09:10:00Z', '2026-08-10T09:20:00Z').node(node.id)?.tags).toEqual(['tag:prod']);
  });

  it('answers no tombstone for an IP a present node now holds, and a bare one for a node deleted unseen', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    store.apply({ ...base, validFrom: 10, learnedAt: 10, record: null });
    store.apply({ ...base, id: 'nNew1CNTRL', validFrom: 20, learnedAt: 20, record: { id: 'nNew1CNTRL', addresses: ['100.64.0.7'] } });
    store.apply({ ...base, id: 'nUnseen1CNTRL', validFrom: 30, learnedAt: 30, record: null });
    expect(tracker.reader.at('acme', 15, 15).deletedNode('100.64.0.7')?.record.id).toBe(node.id);
    expect(tracker.reader.at('acme', 25, 25).deletedNode('100.64.0.7')).toBeUndefined();
    expect(tracker.reader.at('acme', 25, 25).deletedNode(node.id)?.record.id).toBe(node.id);
    expect(tracker.reader.at('acme', 35, 35).deletedNode('nUnseen1CNTRL')).toEqual({ record: { id: 'nUnseen1CNTRL' }, deletedAt: '1970-01-01T00:00:00.030Z' });
  });

  it('keeps what only events tell (who added a node) when a poll replaces the record', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, origin: 'webhook', validFrom: 0, learnedAt: 0, record: { authorized: false, createdBy: 'mallory@example.com' }, patch: true });
    expect(store.apply({ ...base, validFrom: 10, learnedAt: 10, record: { ...node, authorized: false } })).toBe(true);
    expect(store.apply({ ...base, validFrom: 20, learnedAt: 20, record: { ...node, authorized: false } })).toBe(false);
    expect(tracker.reader.at('acme', 30, 30).node(node.id)).toEqual({ ...node, authorized: false, createdBy: 'mallory@example.com' });
  });

  it('merges a partial change over the version in force', () => {
    const { store, tracker } = memoryInventory();
    store.apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    store.apply({ ...base, validFrom: 10, learnedAt: 10, record: { keyExpired: true }, patch: true });
    expect(tracker.reader.at('acme', 20, 20).node(node.id)).toEqual({ ...node, keyExpired: true });
  });

  it('is read through a read-only handle of its own on the data directory', () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    new InventoryStore(db).apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    const { reader, close } = openInventoryReader(dataDir);
    try {
      expect(reader.at('acme', 1, 1).node('web-1')?.user).toBe('alice@example.com');
      // The writer's later commits are seen through the reader's own handle.
      new InventoryStore(db).apply({ ...base, validFrom: 5, learnedAt: 5, record: { ...node, tags: ['tag:prod'] } });
      expect(reader.at('acme', 6, 6).node('web-1')?.tags).toEqual(['tag:prod']);
    } finally {
      close();
      db.close();
    }
  });

  it('exports every version and imports them as they were; a data directory loads the same', () => {
    const dataDir = tempDir();
    const db = openDatabase(dataDir);
    const store = new InventoryStore(db);
    store.apply({ ...base, validFrom: 0, learnedAt: 0, record: node });
    store.apply({ ...base, validFrom: 10, learnedAt: 15, record: null });
    const file = join(tempDir(), 'inventory.ndjson');
    expect(writeInventoryFile(store, file)).toBe(2);
    db.close();
    const imported = memoryInventory();
    importVersions(imported.store, readInventoryFile(file));
    expect(imported.store.versions()).toEqual(loadRecordedInventory(dataDir).store.versions());
    expect(imported.store.versions()).toHaveLength(2);
  });

  it('names the file and line of a bad export line', () => {
    const file = join(tempDir(), 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify({ ...base, validFrom: 0, learnedAt: 0, record: node })}\n{"tailnet":"acme","kind":"node","id":"x","validFrom":0,"learnedAt":0,"origin":"poll","record":{"tags":"web"}}\n`);
    expect(() => readInventoryFile(file)).toThrow(InputError);
    expect(() => readInventoryFile(file)).toThrow(/bad\.ndjson:2: .*record/);
  });
});
