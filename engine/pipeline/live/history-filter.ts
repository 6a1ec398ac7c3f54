// The filters the alert and signal histories share (rule id or glob, minimum severity, tailnet, event-time range),
// as SQL clauses over a table's columns; a glob is matched on the rows read, in order, until the limit.
import { SEVERITIES } from '../../rules/base/severity.ts';
import type { Severity } from '../../rules/base/severity.ts';
import { compileGlob, isGlob } from '../../rules/rule-id-glob.ts';

export interface HistoryFilter {
  /** Rule id or glob (`*`, `?`, case-insensitive). */
  rule?: string | undefined;
  /** This severity or higher. */
  minSeverity?: Severity | undefined;
  tailnet?: string | undefined;
  /** Rows whose (first) event is at or after `fromMs` and before `toMs`. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
}

export interface HistoryQuery {
  clauses: string[];
  params: (string | number)[];
  /** Set for a glob: rows are kept when it matches their rule id. */
  glob: ((ruleId: string) => boolean) | undefined;
}

/** `table` is the alias the columns are read from; `timeColumn` holds event time in ms. */
export function historyQuery(filter: HistoryFilter, table: string, timeColumn: string): HistoryQuery {
  const query: HistoryQuery = { clauses: [], params: [], glob: undefined };
  const where = (clause: string, ...values: (string | number)[]) => {
    query.clauses.push(clause);
    query.params.push(...values);
  };
  if (filter.minSeverity !== undefined) {
    const levels = SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity));
    where(`${table}.severity IN (${levels.map(() => '?').join(', ')})`, ...levels);
  }
  if (filter.tailnet !== undefined) where(`${table}.tailnet = ?`, filter.tailnet);
  if (filter.fromMs !== undefined) where(`${table}.${timeColumn} >= ?`, filter.fromMs);
  if (filter.toMs !== undefined) where(`${table}.${timeColumn} < ?`, filter.toMs);
  // A plain id is an index lookup; a glob is matched on the rows read.
  if (filter.rule !== undefined && isGlob(filter.rule)) query.glob = compileGlob(filter.rule);
  else if (filter.rule !== undefined) where(`${table}.rule_id = ?`, filter.rule);
  return query;
}

/** The rows' JSON column parsed, glob-filtered, up to the limit. */
export function* limitedRows<T>(rows: Iterable<{ rule_id: string; json: string }>, query: HistoryQuery, limit: number): Generator<T> {
  let shown = 0;
  for (const row of rows) {
    if (shown >= limit) return;
    if (query.glob !== undefined && !query.glob(row.rule_id)) continue;
    shown += 1;
    yield JSON.parse(row.json) as T;
  }
}
