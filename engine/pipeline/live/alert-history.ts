// The alert history: each alert's latest revision (its final form once its window has settled), or every revision,
// newest first, filtered by rule, severity, tailnet and event time; indexed so 100k alerts stay fast.
import type { Alert } from '../../alerts/alert.ts';
import type { Database } from '../../state/database.ts';
import { historyQuery, limitedRows } from './history-filter.ts';
import type { HistoryFilter } from './history-filter.ts';

export interface AlertHistoryFilter extends HistoryFilter {
  /** Every revision, not only the latest of each alert. */
  revisions?: boolean | undefined;
}

export function alertHistory(db: Database, filter: AlertHistoryFilter): Generator<Alert> {
  const query = historyQuery(filter, 'a', 'first_event_ms');
  if (!filter.revisions) query.clauses.unshift('NOT EXISTS (SELECT 1 FROM alerts b WHERE b.alert_id = a.alert_id AND b.revision > a.revision)');
  const sql = query.clauses.length === 0 ? '' : ` WHERE ${query.clauses.join(' AND ')}`;
  const rows = db
    .prepare(`SELECT a.rule_id, a.alert AS json FROM alerts a${sql} ORDER BY a.first_event_ms DESC, a.alert_id, a.revision DESC`)
    .iterate(...query.params) as Iterable<{ rule_id: string; json: string }>;
  return limitedRows<Alert>(rows, query, filter.limit);
}
