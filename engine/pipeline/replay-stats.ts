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
  /** Alerts made of matches that arrived after their window had closed (`late: true`). */
  lateAlerts: number;
  /** Matches later than the allowed lateness, by rule id; and events late for some rule, by source. */
  lateMatchesByRule: Record<string, number>;
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
    lateAlerts: 0,
    lateMatchesByRule: {},
    lateContributionsByRule: {},
    lateEventsBySource: {},
    suppressedMatches: {},
    suppressedAlerts: 0,
    filesFailed: [],
  };
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
