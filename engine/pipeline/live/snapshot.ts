// The evaluator's state (alert windows, aggregate windows, watermark) as one durable row, with the journal id it covers.
import type { Database } from '../../state/database.ts';
import type { EvaluatorState } from '../../rules/evaluator.ts';

export interface Snapshot {
  /** Every journal entry up to this id is reflected in `state`. */
  journalId: number;
  state: EvaluatorState;
  takenAtMs: number;
}

/** Call inside the transaction that truncates the journal. */
export function saveSnapshot(db: Database, snapshot: Snapshot): void {
  db.prepare('INSERT OR REPLACE INTO snapshot (id, journal_id, taken_at, state) VALUES (1, ?, ?, ?)').run(
    snapshot.journalId,
    snapshot.takenAtMs,
    JSON.stringify(snapshot.state),
  );
}

export function loadSnapshot(db: Database): Snapshot | undefined {
  const row = db.prepare('SELECT journal_id, taken_at, state FROM snapshot WHERE id = 1').get() as
    | { journal_id: number; taken_at: number; state: string }
    | undefined;
  if (row === undefined) return undefined;
  return { journalId: row.journal_id, takenAtMs: row.taken_at, state: JSON.parse(row.state) as EvaluatorState };
}
