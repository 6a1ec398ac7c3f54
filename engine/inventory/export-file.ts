// `tailwatch inventory export/import` and `replay --inventory`: the inventory's versions as NDJSON, one version a line
// ({ tailnet, kind, id, validFrom, learnedAt, origin, record }, times in epoch ms), exactly as stored.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { DATABASE_FILE } from '../state/database.ts';
import { memoryInventory } from './memory.ts';
import type { MemoryInventory } from './memory.ts';
import { INVENTORY_KINDS, RECORD_SCHEMAS } from './records.ts';
import { InventoryStore } from './store.ts';
import type { InventoryVersion } from './store.ts';

const VersionLine = z.strictObject({
  tailnet: z.string().min(1),
  kind: z.enum(INVENTORY_KINDS),
  id: z.string().min(1),
  validFrom: z.int(),
  learnedAt: z.int(),
  origin: z.string().min(1),
  record: z.record(z.string(), z.unknown()).nullable(),
}).superRefine((line, ctx) => {
  if (line.record === null) return;
  const result = RECORD_SCHEMAS[line.kind].safeParse(line.record);
  for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', message: `${line.kind} record: ${issue.path.join('.') || '(all)'}: ${issue.message}`, path: ['record', ...issue.path] });
});

export function writeInventoryFile(store: InventoryStore, file: string): number {
  const versions = store.versions();
  writeFileSync(file, versions.map((version) => `${JSON.stringify(version)}\n`).join(''));
  return versions.length;
}

/** Every version of an export file; an InputError names the first bad line. */
export function readInventoryFile(file: string): InventoryVersion[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  const versions: InventoryVersion[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${file}:${index + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = VersionLine.safeParse(value);
    if (!parsed.success) throw new InputError(`${file}:${index + 1}: not an inventory version: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    versions.push(parsed.data);
  }
  return versions;
}

/** Stores the versions as they are, in one transaction; returns how many. */
export function importVersions(store: InventoryStore, versions: readonly InventoryVersion[]): number {
  store.db.exec('BEGIN IMMEDIATE');
  try {
    for (const version of versions) store.insert(version);
    store.db.exec('COMMIT');
  } catch (error) {
    store.db.exec('ROLLBACK');
    throw error;
  }
  return versions.length;
}

/** An export file, or a data directory (its database read without writing), as an inventory in memory. */
export function loadRecordedInventory(path: string): MemoryInventory {
  const inventory = memoryInventory();
  importVersions(inventory.store, isDirectory(path) ? dataDirVersions(path) : readInventoryFile(path));
  return inventory;
}

function dataDirVersions(dataDir: string): InventoryVersion[] {
  const file = join(dataDir, DATABASE_FILE);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (error) {
    throw new InputError(`${file}: cannot open the data directory's database (${(error as Error).message})`, { cause: error });
  }
  try {
    return new InventoryStore(db).versions();
  } finally {
    db.close();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
