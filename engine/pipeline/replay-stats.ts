// What a replay read, parsed, rejected and alerted on: the summary printed on stderr and returned to callers.
import type { RejectReason } from '../decode/types.ts';

export interface ReplayStats {
  recordsRead: number;
  bytesRead: number;
  eventsByLogType: Record<string, number>;
  /** Records of a log type no loaded rule reads: classified and counted, never validated or rejected. */
  unreadByLogType: Record<string, number>;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Events skipped by --from/--to. */
  eventsOutsideRange: number;
  /** Events before --from that first-seen rules learned from (--learn-from). */
  eventsLearned: number;
  alerts: number;
  alertsByType: Record<string, number>;
  /** Signals recorded (matches of signal rules), by rule id. */
  signalsByRule: Record<string, number>;
  /** Alerts made of matches that arrived after their window had closed (`late: true`). */
  lateAlerts: number;
  /** Matches later than the allowed lateness, by rule id; and events late for some rule, by source. */
  lateMatchesByRule: Record<string, number>;
  /** Events too late for an aggregate rule's windows, or matches too late for a correlation, by rule id. */
  lateContributionsByRule: Record<string, number>;
  lateEventsBySource: Record<string, number>;
  /** Matches silenced, by suppression id, and the alerts they formed (not emitted). */
  suppressedMatches: Record<string, number>;
  suppressedAlerts: number;
  filesFailed: string[];
}

export function emptyStats(): ReplayStats {
  return {
    recordsRead: 0,
    bytesRead: 0,
    eventsByLogType: {},
    unreadByLogType: {},
    rejectedByReason: {},
    eventsOutsideRange: 0,
    eventsLearned: 0,
    alerts: 0,
    alertsByType: {},
    signalsByRule: {},
    lateAlerts: 0,
    lateMatchesByRule: {},
    lateContributionsByRule: {},
    lateEventsBySource: {},
    suppressedMatches: {},
    suppressedAlerts: 0,
    filesFailed: [],
  };
}

/**
 * One replay's stats from the workers that each evaluated a share of its rules (`replay --workers`): what was read
 * from the first (every worker reads the same records), what the rules did summed. `late`: each worker's late events
 * by source, as record numbers, so an event late for rules in two workers counts once. What the rules counted is in
 * key order, with one worker too.
 */
export function mergedStats(shards: readonly ReplayStats[], late: readonly Record<string, number[]>[] | undefined): ReplayStats {
  const [first] = shards;
  if (first === undefined) throw new Error('mergedStats: no stats');
  const summed = (pick: (stats: ReplayStats) => Record<string, number>) => sortedCounts(sumOf(shards.map(pick)));
  return {
    ...first,
    alerts: shards.reduce((sum, stats) => sum + stats.alerts, 0),
    alertsByType: summed((stats) => stats.alertsByType),
    signalsByRule: summed((stats) => stats.signalsByRule),
    lateAlerts: shards.reduce((sum, stats) => sum + stats.lateAlerts, 0),
    lateMatchesByRule: summed((stats) => stats.lateMatchesByRule),
    lateContributionsByRule: summed((stats) => stats.lateContributionsByRule),
    lateEventsBySource: late === undefined ? sortedCounts(first.lateEventsBySource) : distinctRecords(late),
    suppressedMatches: summed((stats) => stats.suppressedMatches),
    suppressedAlerts: shards.reduce((sum, stats) => sum + stats.suppressedAlerts, 0),
  };
}

function sumOf(counts: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const one of counts) for (const [key, n] of Object.entries(one)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}

function distinctRecords(late: readonly Record<string, number[]>[]): Record<string, number> {
  const bySource = new Map<string, Set<number>>();
  for (const one of late) {
    for (const [source, records] of Object.entries(one)) {
      let seen = bySource.get(source);
      if (seen === undefined) bySource.set(source, (seen = new Set()));
      for (const record of records) seen.add(record);
    }
  }
  return sortedCounts(Object.fromEntries([...bySource].map(([source, seen]) => [source, seen.size])));
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function increment<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function totalRejected(stats: ReplayStats): number {
  return Object.values(stats.rejectedByReason).reduce((sum, n) => sum + n, 0);
}

export function formatStats(stats: ReplayStats): string {
  const parsed = Object.entries(stats.eventsByLogType).map(([type, n]) => `${type}=${n}`).join(' ') || 'none';
  const rejected = Object.entries(stats.rejectedByReason).map(([reason, n]) => `${reason}=${n}`).join(' ');
  const lines = [
    `records read: ${stats.recordsRead} (${stats.bytesRead} bytes)`,
    `events parsed: ${parsed}`,
    `records rejected: ${totalRejected(stats)}${rejected ? ` (${rejected})` : ''}`,
    `alerts: ${stats.alerts}${stats.alerts ? ` (${Object.entries(stats.alertsByType).map(([t, n]) => `${t}=${n}`).join(' ')})` : ''}`,
  ];
  const signals = Object.entries(stats.signalsByRule);
  if (signals.length > 0) lines.push(`signals: ${signals.reduce((sum, [, n]) => sum + n, 0)} (${signals.map(([rule, n]) => `${rule}=${n}`).join(' ')})`);
  const unread = Object.entries(stats.unreadByLogType).map(([type, n]) => `${type}=${n}`).join(' ');
  if (unread) lines.splice(2, 0, `not validated (no loaded rule reads them): ${unread}`);
  if (stats.eventsOutsideRange) lines.splice(2, 0, `events outside --from/--to: ${stats.eventsOutsideRange}`);
  if (stats.eventsLearned) lines.splice(2, 0, `events learned by first-seen rules (--learn-from, not alerted on): ${stats.eventsLearned}`);
  const late = [
    ...Object.entries(stats.lateMatchesByRule).map(([rule, n]) => `${rule} matches=${n}`),
    ...Object.entries(stats.lateContributionsByRule).map(([rule, n]) => `${rule} events=${n}`),
  ];
  if (late.length > 0) {
    const sources = Object.entries(stats.lateEventsBySource).map(([source, n]) => `${source}=${n}`).join(' ');
    lines.push(`late (after the allowed lateness): ${late.join(', ')}; by source: ${sources}; late alerts: ${stats.lateAlerts}`);
  }
  const suppressed = Object.entries(stats.suppressedMatches).map(([id, n]) => `${id}=${n}`).join(' ');
  if (suppressed) lines.push(`suppressed matches: ${suppressed}; suppressed alerts (not emitted): ${stats.suppressedAlerts}`);
  if (stats.filesFailed.length) lines.push(`files not read: ${stats.filesFailed.join(', ')}`);
  return lines.join('\n');
}
