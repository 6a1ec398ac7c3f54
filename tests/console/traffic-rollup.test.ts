// The per-minute traffic rollups: written with their batch (so a restart's journal replay does not count them twice),
// bounded per minute to the busiest edges, pruned by event time, and read back as the traffic page's numbers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_EDGES_PER_MINUTE, RETENTION_DAYS } from '../../engine/console/traffic-rollup.ts';
import { trafficReport } from '../../engine/console/traffic-query.ts';
import type { Database } from '../../engine/state/database.ts';
import { T0_MS } from '../rules/events.ts';
import { batchOf, pipelineDir, type PipelineDir } from './support/pipeline.ts';

let data: PipelineDir;
beforeEach(() => {
  data = pipelineDir(['Tailscale.Magic.DNS.Disabled']);
});
afterEach(() => data.remove());

const node = (n: number, tags: string[] = []) => ({ nodeId: `n${n}CNTRL`, name: `node-${n}`, addresses: [`100.64.0.${n}`], tags });

function flow(minute: number, traffic: Record<string, unknown>): Record<string, unknown> {
  const end = T0_MS + minute * 60_000 + 30_000;
  return {
    logged: new Date(end + 1000).toISOString(),
    nodeId: 'n1CNTRL',
    start: new Date(end - 5000).toISOString(),
    end: new Date(end).toISOString(),
    srcNode: node(1, ['tag:web']),
    dstNodes: [node(2, ['tag:db'])],
    ...traffic,
  };
}

const totals = (db: Database) => db.prepare('SELECT tailnet, minute, kind, bytes, packets FROM traffic_totals ORDER BY minute, kind').all();

describe('traffic rollups', () => {
  it('sums bytes and packets per minute and kind, names nodes and tags, and ranks talkers', async () => {
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([
      flow(0, { virtualTraffic: [{ proto: 6, src: '100.64.0.1:5000', dst: '100.64.0.2:5432', txPkts: 10, txBytes: 1000, rxPkts: 5, rxBytes: 500 }] }),
      flow(0, { physicalTraffic: [{ src: '100.64.0.1:0', dst: '198.51.100.7:41641', txPkts: 3, txBytes: 9000 }] }),
      flow(1, { virtualTraffic: [{ proto: 6, src: '100.64.0.1:5000', dst: '100.64.0.2:5432', txPkts: 1, txBytes: 100 }] }),
    ]));
    expect(totals(db)).toEqual([
      { tailnet: 'default', minute: T0_MS, kind: 'physical', bytes: 9000, packets: 3 },
      { tailnet: 'default', minute: T0_MS, kind: 'virtual', bytes: 1500, packets: 15 },
      { tailnet: 'default', minute: T0_MS + 60_000, kind: 'virtual', bytes: 100, packets: 1 },
    ]);
    const report = trafficReport(db, { minutes: 60, top: 5 });
    expect(report.to).toBe(new Date(T0_MS + 120_000).toISOString());
    expect(report.topDestinations).toEqual([
      { name: '198.51.100.7', bytes: 9000, packets: 3 },
      { name: 'node-2', bytes: 1600, packets: 16 },
    ]);
    expect(report.topPairs.map((pair) => pair.name)).toEqual(['tag:web → 198.51.100.7:41641', 'tag:web → tag:db:5432']);
    expect(report.series.find((series) => series.kind === 'virtual')).toEqual({ tailnet: 'default', kind: 'virtual', minutes: [T0_MS, T0_MS + 60_000], bytes: [1500, 100], packets: [15, 1] });
  });

  it('is not counted again when a restart replays the journal', async () => {
    const first = await data.start();
    await first.pipeline.handle(batchOf([flow(0, { virtualTraffic: [{ src: '100.64.0.1:1', dst: '100.64.0.2:22', txPkts: 1, txBytes: 64 }] })]));
    const before = totals(first.db);
    const restarted = await data.start();
    expect(totals(restarted.db)).toEqual(before);
  });

  it(`keeps the ${MAX_EDGES_PER_MINUTE} busiest edges of a minute and drops minutes ${RETENTION_DAYS} days behind the newest`, async () => {
    const { pipeline, db } = await data.start();
    const entries = Array.from({ length: MAX_EDGES_PER_MINUTE + 50 }, (_, i) => ({ src: '100.64.0.1:1', dst: `10.0.${Math.floor(i / 250)}.${i % 250}:443`, txPkts: 1, txBytes: 1000 + i }));
    await pipeline.handle(batchOf([flow(0, { subnetTraffic: entries })]));
    const kept = db.prepare('SELECT min(bytes) AS least, count(*) AS n FROM traffic_edges').get();
    expect(kept).toEqual({ least: 1050, n: MAX_EDGES_PER_MINUTE });
    expect(totals(db)).toEqual([{ tailnet: 'default', minute: T0_MS, kind: 'subnet', bytes: entries.reduce((sum, e) => sum + e.txBytes, 0), packets: entries.length }]);

    const later = (RETENTION_DAYS + 1) * 24 * 60;
    await pipeline.handle(batchOf([flow(later, { exitTraffic: [{ src: '100.64.0.1:1', dst: '203.0.113.9:443', txPkts: 2, txBytes: 10 }] })]));
    expect(totals(db)).toEqual([{ tailnet: 'default', minute: T0_MS + later * 60_000, kind: 'exit', bytes: 10, packets: 2 }]);
    expect(db.prepare('SELECT count(*) AS n FROM traffic_edges').get()).toEqual({ n: 1 });
  });
});
