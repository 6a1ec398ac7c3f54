// Writes inventory versions, keeping only changes: a version equal to the one in force at its time (lastSeen aside)
// is not stored. A partial change (a webhook names one field) is merged over the version in force; a whole one (a
// poll) keeps the fields only events give (EVENT_ONLY_FIELDS).
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { parseHuJson } from '../policy/hujson.ts';
import { aliasesOf, EVENT_ONLY_FIELDS } from './records.ts';
import type { InventoryKind } from './records.ts';

/** One stored version: `record` null is a deletion. */
export type InventoryVersion = Omit<InventoryChange, 'patch'>;

interface VersionRow {
  tailnet: string; kind: InventoryKind; id: string; valid_from: number; learned_at: number; origin: string; record: string | null;
}

/** One version: `record` null is a deletion; `patch` merges the record's fields over the version in force. */
export interface InventoryChange {
  tailnet: string;
  kind: InventoryKind;
  id: string;
  /** When it became true (event or API time, ms). */
  validFrom: number;
  /** The stream position at which it was learned (see InventoryTracker). */
  learnedAt: number;
  /** poll, webhook, audit or import. */
  origin: string;
  record: Record<string, unknown> | null;
  patch?: boolean;
}

/** Fields that change on their own between polls; they do not make a version. */
const VOLATILE = new Set(['lastSeen']);

export class InventoryStore {
  readonly #db: DatabaseSync;
  readonly #current: StatementSync;
  readonly #insert: StatementSync;
  readonly #alias: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#current = db.prepare(
      `SELECT record FROM inventory_versions WHERE tailnet = ? AND kind = ? AND id = ? AND valid_from <= ?
       ORDER BY valid_from DESC, learned_at DESC LIMIT 1`,
    );
    this.#insert = db.prepare(
      `INSERT OR REPLACE INTO inventory_versions (tailnet, kind, id, valid_from, learned_at, origin, record) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#alias = db.prepare('INSERT OR IGNORE INTO inventory_aliases (tailnet, kind, alias, id) VALUES (?, ?, ?, ?)');
  }

  get db(): DatabaseSync {
    return this.#db;
  }

  /** Stores the change unless it changes nothing; returns whether it was stored. */
  apply(change: InventoryChange): boolean {
    const { tailnet, kind, id, validFrom } = change;
    const row = this.#current.get(tailnet, kind, id, validFrom) as { record: string | null } | undefined;
    const current = row?.record == null ? null : (JSON.parse(row.record) as Record<string, unknown>);
    // Deleting what is already deleted changes nothing; deleting what was never seen still says it is gone from then.
    if (row !== undefined && current === null && change.record === null) return false;
    const record = change.record === null ? null : change.patch ? { ...(current ?? { id }), ...change.record } : { ...eventOnly(kind, current), ...change.record };
    if (record !== null && current !== null && sameRecord(kind, current, record)) return false;
    this.insert({ ...change, record });
    return true;
  }

  /** Stores one version as it is (an import keeps what live stored, in the same positions). */
  insert(version: InventoryVersion): void {
    const { tailnet, kind, id, record } = version;
    this.#insert.run(tailnet, kind, id, version.validFrom, version.learnedAt, version.origin, record === null ? null : JSON.stringify(record));
    if (record !== null) for (const alias of aliasesOf(kind, record)) if (alias !== id) this.#alias.run(tailnet, kind, alias, id);
  }

  /** For each id of the kind ever seen, whether its latest version is present (not a deletion). */
  latestPresence(tailnet: string, kind: InventoryKind): Map<string, boolean> {
    const rows = this.#db
      .prepare('SELECT id, record IS NOT NULL AS present FROM inventory_versions WHERE tailnet = ? AND kind = ? ORDER BY id, valid_from, learned_at')
      .all(tailnet, kind) as unknown as { id: string; present: number }[];
    return new Map(rows.map((row) => [row.id, row.present === 1]));
  }

  /** Every version, in a stable order (tailnet, kind, id, validFrom, learnedAt). */
  versions(): InventoryVersion[] {
    const rows = this.#db.prepare('SELECT * FROM inventory_versions ORDER BY tailnet, kind, id, valid_from, learned_at').all() as unknown as VersionRow[];
    return rows.map((row) => ({
      tailnet: row.tailnet, kind: row.kind, id: row.id, validFrom: row.valid_from, learnedAt: row.learned_at, origin: row.origin,
      record: row.record === null ? null : (JSON.parse(row.record) as Record<string, unknown>),
    }));
  }
}

/** The fields of the version in force that only events give (see EVENT_ONLY_FIELDS). */
function eventOnly(kind: InventoryKind, current: Record<string, unknown> | null): Record<string, unknown> {
  if (current === null) return {};
  return Object.fromEntries(EVENT_ONLY_FIELDS[kind].filter((field) => current[field] !== undefined).map((field) => [field, current[field]]));
}

function sameRecord(kind: InventoryKind, a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return kind === 'policy' ? canonicalPolicy(a['raw']) === canonicalPolicy(b['raw']) : canonical(a) === canonical(b);
}

/** A policy's content: the API's JSON and the audit's HuJSON text of one policy are one version (else the text). */
function canonicalPolicy(raw: unknown): string {
  if (typeof raw !== 'string') return canonical(raw);
  try {
    return canonical(parseHuJson(raw), false);
  } catch {
    return raw;
  }
}

/** JSON with sorted keys and without volatile fields, so field order and lastSeen do not make a version. */
function canonical(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, false)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([key, item]) => item !== undefined && !(top && VOLATILE.has(key)))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item, false)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
