// Reads inventory versions as of (time, stream position) through one SQLite handle. Each thread opens its own
// (openInventoryReader: read-only on the data directory's database), so rules never share the writer's objects.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { DATABASE_FILE } from '../state/database.ts';
import { msToRfc3339 } from '../schemas/time.ts';
import type { Inventory } from './inventory.ts';
import { POLICY_ID, aliasesOf } from './records.ts';
import type { InventoryKind, RecordOfKind, Tombstone } from './records.ts';

const AS_OF = `FROM inventory_versions WHERE tailnet = ? AND kind = ? AND id = ? AND valid_from <= ? AND learned_at <= ?`;
const LATEST = 'ORDER BY valid_from DESC, learned_at DESC LIMIT 1';

export class InventoryReader {
  readonly #asOf: StatementSync;
  readonly #byAlias: StatementSync;
  readonly #deleted: StatementSync;
  readonly #lastPresent: StatementSync;

  constructor(db: DatabaseSync) {
    this.#asOf = db.prepare(`SELECT record, valid_from ${AS_OF} ${LATEST}`);
    this.#byAlias = db.prepare('SELECT id FROM inventory_aliases WHERE tailnet = ? AND kind = ? AND alias = ? ORDER BY id');
    // The ref as an id and the ids it was an alias of, whose version in force is a deletion: one query for the usual
    // answer (none), since a flow rule asks this of every address it sees.
    this.#deleted = db.prepare(
      `SELECT c.id, v.valid_from FROM (SELECT ?3 AS id UNION SELECT id FROM inventory_aliases WHERE tailnet = ?1 AND kind = ?2 AND alias = ?3) c
       CROSS JOIN inventory_versions v ON v.tailnet = ?1 AND v.kind = ?2 AND v.id = c.id
       WHERE v.record IS NULL AND (v.valid_from, v.learned_at) = (SELECT w.valid_from, w.learned_at FROM inventory_versions w
         WHERE w.tailnet = ?1 AND w.kind = ?2 AND w.id = c.id AND w.valid_from <= ?4 AND w.learned_at <= ?5 ${LATEST})
       ORDER BY c.id = ?3 DESC, c.id`,
    );
    this.#lastPresent = db.prepare(`SELECT record ${AS_OF} AND record IS NOT NULL ${LATEST}`);
  }

  /** The version of one record in force at `timeMs` among those learned by `position`; undefined if none or deleted. */
  version<K extends InventoryKind>(tailnet: string, kind: K, id: string, timeMs: number, position: number): { record: RecordOfKind[K]; validFrom: number } | undefined {
    const row = this.#asOf.get(tailnet, kind, id, timeMs, position) as { record: string | null; valid_from: number } | undefined;
    return row?.record == null ? undefined : { record: JSON.parse(row.record) as RecordOfKind[K], validFrom: row.valid_from };
  }

  /** The record of that version. */
  record<K extends InventoryKind>(tailnet: string, kind: K, id: string, timeMs: number, position: number): RecordOfKind[K] | undefined {
    return this.version(tailnet, kind, id, timeMs, position)?.record;
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

  /**
   * A record deleted at `timeMs` among versions learned by `position`, by id or by an alias its last version had,
   * unless a present record answers to the ref: that last version (just `{ id }` when it was never seen), and when
   * it was deleted.
   */
  findDeleted<K extends InventoryKind>(tailnet: string, kind: K, ref: string, timeMs: number, position: number): Tombstone<RecordOfKind[K]> | undefined {
    const deleted = this.#deleted.all(tailnet, kind, ref, timeMs, position) as unknown as { id: string; valid_from: number }[];
    if (deleted.length === 0 || this.find(tailnet, kind, ref, timeMs, position) !== undefined) return undefined;
    for (const { id, valid_from: deletedMs } of deleted) {
      const last = this.#lastPresent.get(tailnet, kind, id, deletedMs, position) as { record: string } | undefined;
      const record = (last === undefined ? { id } : JSON.parse(last.record)) as RecordOfKind[K];
      if (id === ref || aliasesOf(kind, record).includes(ref)) return { record, deletedAt: msToRfc3339(deletedMs) };
    }
    return undefined;
  }

  /** The accessor a rule gets for one event. */
  at(tailnet: string, timeMs: number, position: number): Inventory {
    return {
      node: (ref) => this.find(tailnet, 'node', ref, timeMs, position),
      deletedNode: (ref) => this.findDeleted(tailnet, 'node', ref, timeMs, position),
      user: (ref) => this.find(tailnet, 'user', ref, timeMs, position),
      key: (id) => this.record(tailnet, 'key', id, timeMs, position),
      policy: () => {
        const version = this.version(tailnet, 'policy', POLICY_ID, timeMs, position);
        return version === undefined ? undefined : { ...version.record, validFrom: version.validFrom };
      },
    };
  }
}

/** A read-only handle of its own on a data directory's database (one per evaluation thread). */
export function openInventoryReader(dataDir: string): { reader: InventoryReader; close: () => void } {
  const db = new DatabaseSync(join(dataDir, DATABASE_FILE), { readOnly: true });
  db.exec('PRAGMA busy_timeout = 5000');
  return { reader: new InventoryReader(db), close: () => db.close() };
}
