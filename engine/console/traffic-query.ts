// The traffic page's numbers, read from the per-minute rollups (traffic-rollup.ts), never from the journal.
import type { Database } from '../state/database.ts';

export interface TrafficQuery {
  tailnet?: string | undefined;
  /** The window [fromMs, toMs); without it, the last `minutes` up to the newest rolled-up minute. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  minutes: number;
  top: number;
}

export interface TrafficSeries {
  tailnet: string;
  kind: string;
  /** Minute starts (ms) and their bytes and packets, oldest first. */
  minutes: number[];
  bytes: number[];
  packets: number[];
}

export interface Talker {
  name: string;
  bytes: number;
  packets: number;
}

export interface TrafficReport {
  from: string | null;
  to: string | null;
  tailnets: string[];
  series: TrafficSeries[];
  topSources: Talker[];
  topDestinations: Talker[];
  /** `tag:a → tag:b:443` (untagged sides show the node or address). */
  topPairs: Talker[];
  edges: { src: string; dst: string; bytes: number; packets: number }[];
}

export function trafficReport(db: Database, query: TrafficQuery): TrafficReport {
  const tailnets = (db.prepare('SELECT DISTINCT tailnet FROM traffic_totals ORDER BY tailnet').all() as { tailnet: string }[]).map((row) => row.tailnet);
  const window = windowOf(db, query);
  if (window === undefined) return { from: null, to: null, tailnets, series: [], topSources: [], topDestinations: [], topPairs: [], edges: [] };
  const tailnetClause = query.tailnet === undefined ? '' : ' AND tailnet = ?';
  const params = [window.fromMs, window.toMs, ...(query.tailnet === undefined ? [] : [query.tailnet])];
  const totals = db
    .prepare(`SELECT tailnet, kind, minute, bytes, packets FROM traffic_totals WHERE minute >= ? AND minute < ?${tailnetClause}
      ORDER BY tailnet, kind, minute`)
    .all(...params) as { tailnet: string; kind: string; minute: number; bytes: number; packets: number }[];
  const series = new Map<string, TrafficSeries>();
  for (const row of totals) {
    const key = `${row.tailnet}\u0000${row.kind}`;
    const entry = series.get(key) ?? { tailnet: row.tailnet, kind: row.kind, minutes: [], bytes: [], packets: [] };
    series.set(key, entry);
    entry.minutes.push(row.minute);
    entry.bytes.push(row.bytes);
    entry.packets.push(row.packets);
  }
  const top = (expression: string) =>
    db
      .prepare(`SELECT ${expression} AS name, sum(bytes) AS bytes, sum(packets) AS packets FROM traffic_edges
        WHERE minute >= ? AND minute < ?${tailnetClause} GROUP BY 1 ORDER BY 2 DESC LIMIT ?`)
      .all(...params, query.top) as unknown as Talker[];
  const edges = db
    .prepare(`SELECT src, dst, sum(bytes) AS bytes, sum(packets) AS packets FROM traffic_edges
      WHERE minute >= ? AND minute < ?${tailnetClause} GROUP BY src, dst ORDER BY 3 DESC LIMIT ?`)
    .all(...params, query.top * 2) as { src: string; dst: string; bytes: number; packets: number }[];
  return {
    from: new Date(window.fromMs).toISOString(),
    to: new Date(window.toMs).toISOString(),
    tailnets,
    series: [...series.values()],
    topSources: top('src'),
    topDestinations: top('dst'),
    topPairs: top(`(CASE src_tags WHEN '' THEN src ELSE src_tags END) || ' → ' || (CASE dst_tags WHEN '' THEN dst ELSE dst_tags END) || ':' || port`),
    edges,
  };
}

function windowOf(db: Database, query: TrafficQuery): { fromMs: number; toMs: number } | undefined {
  if (query.fromMs !== undefined && query.toMs !== undefined) return { fromMs: query.fromMs, toMs: query.toMs };
  const newest = (db.prepare('SELECT max(minute) AS minute FROM traffic_totals').get() as { minute: number | null }).minute;
  const toMs = query.toMs ?? (newest === null ? undefined : newest + 60_000);
  if (toMs === undefined) return undefined;
  return { fromMs: query.fromMs ?? toMs - query.minutes * 60_000, toMs };
}

/** Rollup rows on disk and their approximate size (the docs' and the bench's disk cost). */
export function rollupSize(db: Database): { totals: number; edges: number; bytes: number } {
  const count = (table: string) => Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  const pages = db.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name IN ('traffic_totals', 'traffic_edges')").get() as { bytes: number | null } | undefined;
  return { totals: count('traffic_totals'), edges: count('traffic_edges'), bytes: Number(pages?.bytes ?? 0) };
}
