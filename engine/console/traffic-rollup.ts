// Per-minute traffic rollups the evaluator keeps for the console's traffic page: bytes and packets per tailnet, minute
// and traffic kind, and the busiest edges (source → destination:port, with both sides' tags) per minute. A batch's
// rollup is written in the batch's own transaction, so a journal replay after a crash never counts it twice.
// Bounded: at most MAX_EDGES_PER_MINUTE edges per tailnet-minute, and minutes older than RETENTION_DAYS (event time,
// behind the newest minute seen) are dropped.
import { parseEndpoint } from '../schemas/address.ts';
import { TRAFFIC_KINDS, type NetworkEvent, type NodeInfo, type TrafficKind } from '../schemas/network.ts';
import type { Database } from '../state/database.ts';

export const MAX_EDGES_PER_MINUTE = 200;
export const RETENTION_DAYS = 14;

export const KIND_NAMES: Record<TrafficKind, string> = {
  virtualTraffic: 'virtual',
  subnetTraffic: 'subnet',
  exitTraffic: 'exit',
  physicalTraffic: 'physical',
};

interface Sum {
  bytes: number;
  packets: number;
}

interface Edge extends Sum {
  tailnet: string;
  minute: number;
  src: string;
  dst: string;
  port: number;
  srcTags: string;
  dstTags: string;
}

export class TrafficRollup {
  readonly #totals = new Map<string, Sum & { tailnet: string; minute: number; kind: string }>();
  readonly #edges = new Map<string, Edge>();
  #newestMinute = 0;
  #prunedAtMinute = 0;

  add(event: NetworkEvent, eventTimeMs: number): void {
    const minute = Math.floor(eventTimeMs / 60_000) * 60_000;
    if (minute > this.#newestMinute) this.#newestMinute = minute;
    const tailnet = event.p_tailnet;
    const record = event.event;
    const srcName = record.srcNode?.name ?? '';
    const srcTags = (record.srcNode?.tags ?? []).join(',');
    for (const kind of TRAFFIC_KINDS) {
      const entries = record[kind];
      if (entries === undefined || entries.length === 0) continue;
      const totalKey = `${tailnet}\u0000${minute}\u0000${kind}`;
      const total = this.#totals.get(totalKey) ?? { tailnet, minute, kind: KIND_NAMES[kind], bytes: 0, packets: 0 };
      this.#totals.set(totalKey, total);
      for (const entry of entries) {
        const bytes = (entry.txBytes ?? 0) + (entry.rxBytes ?? 0);
        const packets = (entry.txPkts ?? 0) + (entry.rxPkts ?? 0);
        total.bytes += bytes;
        total.packets += packets;
        const srcIp = parseEndpoint(entry.src).ip ?? '';
        const dstEndpoint = parseEndpoint(entry.dst);
        const dstIp = dstEndpoint.ip ?? entry.dst ?? '';
        const dstNode = nodeWithAddress(record.dstNodes, dstIp);
        const src = srcName || srcIp;
        const dst = dstNode?.name ?? dstIp;
        const port = dstEndpoint.port ?? 0;
        const edgeKey = `${tailnet}\u0000${minute}\u0000${src}\u0000${dst}\u0000${port}`;
        const edge = this.#edges.get(edgeKey);
        if (edge === undefined) {
          this.#edges.set(edgeKey, { tailnet, minute, src, dst, port, srcTags, dstTags: (dstNode?.tags ?? []).join(','), bytes, packets });
        } else {
          edge.bytes += bytes;
          edge.packets += packets;
        }
      }
    }
  }

  /** Writes what was added since the last flush (call inside the batch's transaction). */
  flush(db: Database): void {
    if (this.#totals.size === 0) return;
    const total = db.prepare(`INSERT INTO traffic_totals (tailnet, minute, kind, bytes, packets) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET bytes = bytes + excluded.bytes, packets = packets + excluded.packets`);
    for (const sum of this.#totals.values()) total.run(sum.tailnet, sum.minute, sum.kind, sum.bytes, sum.packets);
    const edge = db.prepare(`INSERT INTO traffic_edges (tailnet, minute, src, dst, port, src_tags, dst_tags, bytes, packets)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET bytes = bytes + excluded.bytes, packets = packets + excluded.packets`);
    const minutes = new Map<string, { tailnet: string; minute: number }>();
    for (const e of this.#edges.values()) {
      edge.run(e.tailnet, e.minute, e.src, e.dst, e.port, e.srcTags, e.dstTags, e.bytes, e.packets);
      minutes.set(`${e.tailnet}\u0000${e.minute}`, { tailnet: e.tailnet, minute: e.minute });
    }
    // Only the busiest edges of a minute are kept: the rest are dropped once the minute holds more than the bound.
    const trim = db.prepare(`DELETE FROM traffic_edges WHERE tailnet = ?1 AND minute = ?2 AND bytes <
      (SELECT bytes FROM traffic_edges WHERE tailnet = ?1 AND minute = ?2 ORDER BY bytes DESC LIMIT 1 OFFSET ?3)`);
    for (const { tailnet, minute } of minutes.values()) trim.run(tailnet, minute, MAX_EDGES_PER_MINUTE - 1);
    // Pruning scans the tables, so it runs once per hour of event time.
    if (this.#newestMinute - this.#prunedAtMinute >= 3_600_000) {
      const cutoff = this.#newestMinute - RETENTION_DAYS * 86_400_000;
      db.prepare('DELETE FROM traffic_totals WHERE minute < ?').run(cutoff);
      db.prepare('DELETE FROM traffic_edges WHERE minute < ?').run(cutoff);
      this.#prunedAtMinute = this.#newestMinute;
    }
    this.#totals.clear();
    this.#edges.clear();
  }

  /** Forgets what was added since the last flush (its batch's transaction failed). */
  discard(): void {
    this.#totals.clear();
    this.#edges.clear();
  }
}

function nodeWithAddress(nodes: readonly NodeInfo[] | undefined, ip: string): NodeInfo | undefined {
  if (nodes === undefined || ip === '') return undefined;
  return nodes.find((node) => node.addresses?.some((address) => address === ip || address.startsWith(`${ip}/`)));
}
