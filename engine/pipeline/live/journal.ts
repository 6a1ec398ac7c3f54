// Accepted records, kept durably until a state snapshot covers them; after a crash they are evaluated again.
import type { StatementSync } from 'node:sqlite';
import type { Database } from '../../state/database.ts';

export interface JournalEntry {
  id: number;
  source: string;
  receivedAtMs: number;
  /** The raw record values of one batch, as they were accepted. */
  values: unknown[];
}

export class Journal {
  readonly #append: StatementSync;
  readonly #after: StatementSync;
  readonly #truncate: StatementSync;
  readonly #last: StatementSync;
  readonly #bytes: StatementSync;

  constructor(db: Database) {
    this.#append = db.prepare('INSERT INTO journal (source, received_at, records) VALUES (?, ?, ?)');
    this.#after = db.prepare('SELECT id, source, received_at, records FROM journal WHERE id > ? ORDER BY id');
    this.#truncate = db.prepare('DELETE FROM journal WHERE id <= ?');
    this.#last = db.prepare('SELECT MAX(id) AS id FROM journal');
    this.#bytes = db.prepare('SELECT COALESCE(SUM(LENGTH(records)), 0) AS n FROM journal WHERE id > ?');
  }

  /** Call inside the batch's transaction; returns the bytes journaled. */
  append(source: string, values: readonly unknown[], receivedAtMs: number): number {
    const records = JSON.stringify(values);
    this.#append.run(source, receivedAtMs, records);
    return records.length;
  }

  *after(id: number): Generator<JournalEntry> {
    for (const row of this.#after.iterate(id) as Iterable<{ id: number; source: string; received_at: number; records: string }>) {
      yield { id: row.id, source: row.source, receivedAtMs: row.received_at, values: JSON.parse(row.records) as unknown[] };
    }
  }

  /** Bytes of record JSON in the entries after this id. */
  bytesAfter(id: number): number {
    return Number((this.#bytes.get(id) as { n: number }).n);
  }

  /** The id of the newest entry (0 when empty). */
  lastId(): number {
    return Number((this.#last.get() as { id: number | null }).id ?? 0);
  }

  /** Forgets entries a snapshot now covers; call inside the snapshot's transaction. */
  truncate(uptoId: number): void {
    this.#truncate.run(uptoId);
  }
}
