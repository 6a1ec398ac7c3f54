// Server-sent events for the console: new alert revisions (found by polling the ledger's rowid, so alerts from any
// source or a replay into the same dataDir all show) and triage changes. The poll only runs while a page listens.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../state/database.ts';

const POLL_MS = 1_000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

export class AlertFeed {
  readonly #db: Database;
  readonly #clients = new Set<ServerResponse>();
  #lastRowId: number;
  #timer: NodeJS.Timeout | undefined;
  #ticks = 0;

  constructor(db: Database) {
    this.#db = db;
    this.#lastRowId = this.#maxRowId();
  }

  subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.#clients.add(res);
    req.on('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.#stopPolling();
    });
    if (this.#timer === undefined) {
      this.#lastRowId = this.#maxRowId();
      this.#timer = setInterval(() => this.#poll(), POLL_MS);
    }
  }

  publish(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.#clients) client.write(text);
  }

  /** Ends every stream (before the servers close, which would otherwise wait for them). */
  close(): void {
    this.#stopPolling();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #poll(): void {
    const rows = this.#db
      .prepare('SELECT rowid, alert_id, revision, rule_id, severity, title FROM alerts WHERE rowid > ? ORDER BY rowid LIMIT 500')
      .all(this.#lastRowId) as { rowid: number; alert_id: string; revision: number; rule_id: string; severity: string; title: string }[];
    for (const row of rows) {
      this.#lastRowId = row.rowid;
      this.publish('alert', { alertId: row.alert_id, revision: row.revision, ruleId: row.rule_id, severity: row.severity, title: row.title });
    }
    if (++this.#ticks % (KEEPALIVE_MS / POLL_MS) === 0) for (const client of this.#clients) client.write(': keepalive\n\n');
  }

  #stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #maxRowId(): number {
    return Number((this.#db.prepare('SELECT coalesce(max(rowid), 0) AS id FROM alerts').get() as { id: number }).id);
  }
}
