// Rejected records are kept (bounded) with their position and reason, so an operator can see and replay them.
import type { StatementSync } from 'node:sqlite';
import type { RejectedRecord } from '../../decode/types.ts';
import type { Database } from '../../state/database.ts';

/** The newest rejects kept; older ones are dropped first. */
export const QUARANTINE_MAX_ROWS = 100_000;

export interface QuarantinedRecord {
  receivedAt: string;
  source: string;
  line: number;
  offset: number;
  reason: string;
  message: string;
  raw: string;
}

export class Quarantine {
  readonly #insert: StatementSync;
  readonly #trim: StatementSync;
  readonly #list: StatementSync;

  constructor(db: Database) {
    this.#insert = db.prepare(
      'INSERT INTO quarantine (received_at, source, line, byte_offset, reason, message, raw) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#trim = db.prepare('DELETE FROM quarantine WHERE id <= (SELECT MAX(id) FROM quarantine) - ?');
    this.#list = db.prepare(`SELECT received_at, source, line, byte_offset, reason, message, raw FROM quarantine
      WHERE ?1 IS NULL OR reason = ?1 ORDER BY id DESC LIMIT ?2`);
  }

  /** Call inside the batch's transaction. */
  add(reject: RejectedRecord, receivedAtMs: number): void {
    const { source, line, offset } = reject.position;
    this.#insert.run(receivedAtMs, source, line, offset, reject.reason, reject.message, reject.raw);
  }

  /** The newest rejects first, optionally of one reason. */
  list(limit: number, reason?: string): QuarantinedRecord[] {
    const rows = this.#list.all(reason ?? null, limit) as {
      received_at: number; source: string; line: number; byte_offset: number; reason: string; message: string; raw: string;
    }[];
    return rows.map((row) => ({
      receivedAt: new Date(row.received_at).toISOString(),
      source: row.source,
      line: row.line,
      offset: row.byte_offset,
      reason: row.reason,
      message: row.message,
      raw: row.raw,
    }));
  }

  /** Drops the oldest rows past QUARANTINE_MAX_ROWS; returns how many. */
  trim(): number {
    return Number(this.#trim.run(QUARANTINE_MAX_ROWS).changes);
  }
}
