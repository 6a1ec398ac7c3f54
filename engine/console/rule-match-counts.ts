// Matches per rule and day of event time, for the rules page's sparklines: counted in the transaction of the batch
// that matched them (so a journal replay after a crash never counts a batch twice), pruned with the alert history.
import type { RuleMatchTime } from '../alerts/alert-match.ts';
import type { Database } from '../state/database.ts';

export const DAY_MS = 86_400_000;

/** Call inside the batch's transaction. */
export function countRuleMatches(db: Database, matched: readonly RuleMatchTime[]): void {
  if (matched.length === 0) return;
  const counts = new Map<string, { ruleId: string; day: number; matches: number }>();
  for (const { ruleId, eventTimeMs } of matched) {
    const day = Math.floor(eventTimeMs / DAY_MS) * DAY_MS;
    const key = `${ruleId}\u0000${day}`;
    const entry = counts.get(key) ?? { ruleId, day, matches: 0 };
    entry.matches += 1;
    counts.set(key, entry);
  }
  const upsert = db.prepare('INSERT INTO rule_matches (rule_id, day, matches) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET matches = matches + excluded.matches');
  for (const { ruleId, day, matches } of counts.values()) upsert.run(ruleId, day, matches);
}

/** Drops the days of event time before the cut-off. */
export function pruneRuleMatches(db: Database, beforeMs: number): void {
  db.prepare('DELETE FROM rule_matches WHERE day < ?').run(Math.floor(beforeMs / DAY_MS) * DAY_MS);
}
