// Cluster bench (not a test): a real nats-server and real `tailwatch run` evaluator nodes (the whole pack, no sources,
// deliveries nowhere). Records are published straight into the ingest stream, 100 per message, and the clock runs
// from the first publish until the nodes' tailwatch_events_total reaches the record count:
//   one evaluator on one partition, then two evaluators on two partitions (one each, half the records each).
// Then the failover time: two evaluators on one partition, the holder killed -9, until the standby took it over.
// `npx node bench/cluster.ts` or `npm run bench cluster` (BENCH_CLUSTER_RECORDS, default 50 000).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterConfig } from '../engine/cluster/cluster-config.ts';
import { ClusterConnection } from '../engine/cluster/connection.ts';
import type { IngestMessage } from '../engine/cluster/ingest-message.ts';
import { openResources, type ClusterResources } from '../engine/cluster/resources.ts';
import { startNatsServer } from '../tests/cluster/support/nats-server.ts';
import { parseSamples } from '../tests/e2e/support/scrape.ts';
import { startTailwatch, type TailwatchProcess } from '../tests/e2e/support/tailwatch-process.ts';
import { freePort } from '../tests/e2e/support/workspace.ts';
import { generateStream } from './generate-stream.ts';
import { flatten } from './stream-files.ts';

const ROOT = join(import.meta.dirname, '..');
const RECORDS = Number(process.env.BENCH_CLUSTER_RECORDS ?? 50_000);
const PER_MESSAGE = 100;
const FAILOVER_RUNS = 3;
const LEASE_TTL_SECONDS = 3;

const nats = await startNatsServer();
const dir = await mkdtemp(join(tmpdir(), 'tailwatch-cluster-bench-'));
const records = [...flatten(generateStream({ records: RECORDS }))].map((line) => JSON.parse(line) as unknown);

interface Node {
  process: TailwatchProcess;
  metricsUrl: string;
}

/** The failover runs use a short TTL; the throughput runs the default, so a busy machine never lets a lease lapse. */
function clusterConfig(suffix: string, partitions: string[], leaseTtlSeconds?: number): ClusterConfig {
  return ClusterConfig.parse({
    servers: [nats.url],
    roles: ['evaluate'],
    partitions,
    streams: { ingest: `IN_${suffix}`, alerts: `AL_${suffix}`, deadLetters: `DL_${suffix}` },
    buckets: { leases: `leases-${suffix}`, snapshots: `snaps-${suffix}` },
    ...(leaseTtlSeconds === undefined ? {} : { leaseTtlSeconds }),
  });
}

async function startNode(cluster: ClusterConfig, name: string): Promise<Node> {
  const listen = `127.0.0.1:${await freePort()}`;
  const configPath = join(dir, `${cluster.streams.ingest}-${name}.json`);
  await writeFile(configPath, JSON.stringify({
    dataDir: join(dir, `${cluster.streams.ingest}-${name}`),
    rules: { dir: join(ROOT, 'rules') },
    destinations: {},
    defaultRoute: [],
    http: { listen },
    cluster: { ...cluster, node: name },
  }));
  return { process: await startTailwatch({ configPath, env: {} }), metricsUrl: `http://${listen}/metrics` };
}

async function eventsEvaluated(nodes: readonly Node[]): Promise<number> {
  let total = 0;
  for (const node of nodes) {
    const samples = parseSamples(await (await fetch(node.metricsUrl)).text());
    for (const sample of samples) if (sample.name === 'tailwatch_events_total') total += sample.value;
  }
  return total;
}

const taken = (node: Node) => node.process.logs.filter((line) => line.msg === 'partition taken').length;

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Publishes the records of each partition, 100 per message, a window of publishes in flight at a time. */
async function publish(resources: ClusterResources, byPartition: Map<string, unknown[]>): Promise<void> {
  const receivedAtMs = Date.now();
  const pending: Promise<unknown>[] = [];
  for (const [tailnet, values] of byPartition) {
    for (let start = 0; start < values.length; start += PER_MESSAGE) {
      const message: IngestMessage = { source: 'bench', tailnet, receivedAtMs, records: values.slice(start, start + PER_MESSAGE) };
      pending.push(resources.connection.js.publish(resources.names.ingestSubject(tailnet), JSON.stringify(message)));
      if (pending.length >= 64) await Promise.all(pending.splice(0));
    }
  }
  await Promise.all(pending);
}

async function throughput(suffix: string, partitions: string[]): Promise<number> {
  const cluster = clusterConfig(suffix, partitions);
  const resources = await openResources(await ClusterConnection.open(cluster, {}), cluster);
  const nodes = await Promise.all(partitions.map((_, i) => startNode(cluster, `n${i + 1}`)));
  try {
    await waitUntil(() => nodes.every((node) => taken(node) >= 1) && nodes.reduce((sum, node) => sum + taken(node), 0) >= partitions.length, 'the partitions spread');
    const share = Math.ceil(records.length / partitions.length);
    const byPartition = new Map(partitions.map((partition, i) => [partition, records.slice(i * share, (i + 1) * share)]));
    const started = performance.now();
    await publish(resources, byPartition);
    await waitUntil(async () => (await eventsEvaluated(nodes)) >= records.length, 'every record evaluated', 600_000);
    return records.length / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(nodes.map((node) => node.process.stop()));
    await resources.connection.close();
  }
}

async function failoverMs(run: number): Promise<number> {
  const cluster = clusterConfig(`fo${run}`, ['t1'], LEASE_TTL_SECONDS);
  const nodes = await Promise.all([startNode(cluster, 'a'), startNode(cluster, 'b')]);
  try {
    await waitUntil(() => nodes.some((node) => taken(node) === 1), 'one node holds the partition');
    const holder = nodes.find((node) => taken(node) === 1)!;
    const standby = nodes.find((node) => node !== holder)!;
    await holder.process.kill();
    const killedAt = performance.now();
    await waitUntil(() => taken(standby) === 1, 'the standby takes over');
    return performance.now() - killedAt;
  } finally {
    await Promise.all(nodes.map((node) => node.process.stop()));
  }
}

try {
  const one = await throughput('one', ['t1']);
  const two = await throughput('two', ['t1', 't2']);
  const failovers: number[] = [];
  for (let run = 0; run < FAILOVER_RUNS; run++) failovers.push(await failoverMs(run));
  failovers.sort((a, b) => a - b);
  const k = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`cluster bench: ${k(records.length)} records (${PER_MESSAGE} per ingest message), every rule of the pack`);
  console.log(`one evaluator, one partition  : ${k(one)} events/s`);
  console.log(`two evaluators, two partitions: ${k(two)} events/s (${(two / one).toFixed(2)}x)`);
  console.log(`failover (lease TTL ${LEASE_TTL_SECONDS} s): median ${k(failovers[1]!)} ms, runs ${failovers.map(k).join(', ')} ms`);
} finally {
  await nats.close();
  await rm(dir, { recursive: true, force: true });
}
