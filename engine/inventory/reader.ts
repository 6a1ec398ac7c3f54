// Reads inventory versions as of (time, stream position) through one SQLite handle. Each thread opens its own
// (openInventoryReader: read-only on the data directory's database), so rules never share the writer's objects.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { DATABASE_FILE } from '../state/database.ts';
import type { Inventory } from './inventory.ts';
import { POLICY_ID, aliasesOf } from './records.ts';
import type { InventoryKind, RecordOfKind } from './records.ts';

export class InventoryReader {
  readonly #asOf: StatementSync;
  readonly #byAlias: StatementSync;
  readonly #any: StatementSync;

  constructor(db: DatabaseSync) {
    this.#asOf = db.prepare(
      `SELECT record FROM inventory_versions WHERE tailnet = ? AND kind = ? AND id = ? AND valid_from <= ? AND learned_at <= ?
       ORDER BY valid_from DESC, learned_at DESC LIMIT 1`,
    );
    this.#byAlias = db.prepare('SELECT id FROM inventory_aliases WHERE tailnet = ? AND kind = ? AND alias = ? ORDER BY id');
    this.#any = db.prepare('SELECT 1 FROM inventory_versions WHERE tailnet = ? LIMIT 1');
  }

  /** Whether anything of the tailnet's inventory is stored. */
  knows(tailnet: string): boolean {
    return this.#any.get(tailnet) !== undefined;
  }

  /** The version of one record in force at `timeMs` among those learned by `position`; undefined if none or deleted. */
  record<K extends InventoryKind>(tailnet: string, kind: K, id: string, timeMs: number, position: number): RecordOfKind[K] | undefined {
    const row = this.#asOf.get(tailnet, kind, id, timeMs, position) as { record: string | null } | undefined;
    return row?.record == null ? undefined : (JSON.parse(row.record) as RecordOfKind[K]);
  }

  /** By id, else by an alias the record still has at that time and position. */
  find<K extends InventoryKind>(tailnet: string, kind: K, ref: string, timeMs: number, position: number): RecordOfKind[K] | undefined {
    const direct = this.record(tailnet, kind, ref, timeMs, position);
    if (direct !== undefined) return direct;
    for (const { id } of this.#byAlias.all(tailnet, kind, ref) as { id: string }[]) {
      const record = this.record(tailnet, kind, id, timeMs, position);
      if (record !== undefined && aliasesOf(kind, record).includes(ref)) return record;
    }
    return undefined;
  }

  /** The accessor a rule gets for one event. */
  at(tailnet: string, timeMs: number, position: number): Inventory {
    return {
      node: (ref) => this.find(tailnet, 'node', ref, timeMs, position),
      user: (ref) => this.find(tailnet, 'user', ref, timeMs, position),
      key: (id) => this.record(tailnet, 'key', id, timeMs, position),
      policy: () => this.record(tailnet, 'policy', POLICY_ID, timeMs, position),
    };
  }
}

/** A read-only handle of its own on a data directory's database (one per evaluation thread). */
export function openInventoryReader(dataDir: string): { reader: InventoryReader; close: () => void } {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  db.exec('PRAGMA busy_timeout = 5000');
  return { reader: new InventoryReader(db), close: () => db.close() };
}
