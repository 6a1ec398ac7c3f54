// The alert history: each alert's latest revision (its final form once its window has settled), or every revision,
// newest first, filtered by rule, severity, tailnet and event time; indexed so 100k alerts stay fast.
import type { Alert } from '../../alerts/alert.ts';
import { compileGlob, isGlob } from '../../rules/rule-id-glob.ts';
import { SEVERITIES } from '../../rules/base/severity.ts';
import type { Severity } from '../../rules/base/severity.ts';
import type { Database } from '../../state/database.ts';

export interface AlertHistoryFilter {
  /** Rule id or glob (`*`, `?`, case-insensitive). */
  rule?: string | undefined;
  /** This severity or higher. */
  minSeverity?: Severity | undefined;
  tailnet?: string | undefined;
  /** Alerts whose first event is at or after `fromMs` and before `toMs`. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** Every revision, not only the latest of each alert. */
  revisions?: boolean | undefined;
  limit: number;
}

export function* alertHistory(db: Database, filter: AlertHistoryFilter): Generator<Alert> {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const where = (clause: string, ...values: (string | number)[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (!filter.revisions) where('NOT EXISTS (SELECT 1 FROM alerts b WHERE b.alert_id = a.alert_id AND b.revision > a.revision)');
  if (filter.minSeverity !== undefined) {
    const levels = SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity));
    where(`a.severity IN (${levels.map(() => '?').join(', ')})`, ...levels);
  }
  if (filter.tailnet !== undefined) where('a.tailnet = ?', filter.tailnet);
  if (filter.fromMs !== undefined) where('a.first_event_ms >= ?', filter.fromMs);
  if (filter.toMs !== undefined) where('a.first_event_ms < ?', filter.toMs);
  // A plain id is an index lookup; a glob is matched here, reading rows in order until the limit.
  const glob = filter.rule !== undefined && isGlob(filter.rule) ? compileGlob(filter.rule) : undefined;
  if (filter.rule !== undefined && glob === undefined) where('a.rule_id = ?', filter.rule);
  const sql = clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`;
  const rows = db
    .prepare(`SELECT a.rule_id, a.alert FROM alerts a${sql} ORDER BY a.first_event_ms DESC, a.alert_id, a.revision DESC`)
    .iterate(...params) as Iterable<{ rule_id: string; alert: string }>;
  let shown = 0;
  for (const row of rows) {
    if (shown >= filter.limit) return;
    if (glob !== undefined && !glob(row.rule_id)) continue;
    shown += 1;
    yield JSON.parse(row.alert) as Alert;
  }
}
