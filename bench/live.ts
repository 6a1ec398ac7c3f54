// Live bench: a real `tailwatch run` (the whole pack, pinned to one core when taskset exists) receives HEC bodies
// from a load client process for `seconds`; a local webhook receiver timestamps the marker alerts. Reports the
// sustained events/s, p50/p99 ingest-to-delivery latency and the evaluator's RSS at the end of the load.
// `npx node bench/live.ts [seconds] [--gzip] [--connections=N]`; `npm run bench` runs it after the replay bench (BENCH_LIVE_SECONDS).
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClientOptions, ClientSummary } from './live-client.ts';

export interface LiveBenchOptions {
  seconds: number;
  connections?: number;
  recordsPerBody?: number;
  gzip?: boolean;
}

export interface LiveBenchResult {
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number; samples: number };
  rssMb: number;
  client: ClientSummary;
}

const ROOT = join(import.meta.dirname, '..');
const TOKEN = 'bench-hec-token';
const pinned = existsSync('/usr/bin/taskset');

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Collects marker alerts: the latency is arrival time minus the send time written into the audit event. */
async function startReceiver(): Promise<{ url: string; latencies: number[]; close: () => void }> {
  const latencies: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const arrivedMs = Date.now();
      const sent = /lat-\d+-(\d+)/.exec(Buffer.concat(chunks).toString('utf8'));
      if (sent !== null) latencies.push(arrivedMs - Number(sent[1]));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, latencies, close: () => server.close() };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
}

/** Starts the evaluator; resolves with its process and HEC URL once it logs that it is running. */
export async function startEvaluator(configPath: string): Promise<{ pid: number; url: string; stop: () => Promise<void> }> {
  const args = [process.execPath, join(ROOT, 'bin/tailwatch.js'), 'run', '--config', configPath];
  const child = spawn(pinned ? 'taskset' : args[0] ?? '', pinned ? ['-c', '0', ...args] : args.slice(1), {
    env: { PATH: process.env.PATH ?? '', TAILWATCH_HEC_TOKEN: TOKEN, ...(process.env.NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.NODE_OPTIONS }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const address = /"msg":"listening","address":"([^"]+)"/.exec(stderr);
      if (address !== null && stderr.includes('tailwatch is running')) resolve(`http://${address[1]}/services/collector/event`);
    });
    void exited.then(() => reject(new Error(`tailwatch run exited during start:\n${stderr}`)));
  });
  return { pid: child.pid ?? 0, url, stop: () => (child.kill('SIGTERM'), exited) };
}

async function runClientProcess(options: ClientOptions): Promise<ClientSummary> {
  const args = [process.execPath, join(import.meta.dirname, 'live-client.ts'), JSON.stringify(options)];
  const [command, ...rest] = pinned ? ['taskset', '-c', '1', ...args] : args;
  const { stdout } = await promisify(execFile)(command ?? '', rest, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as ClientSummary;
}

export async function runLiveBench(options: LiveBenchOptions): Promise<LiveBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tailwatch-live-bench-'));
  const receiver = await startReceiver();
  const configPath = join(dir, 'alerts.config.json');
  await writeFile(configPath, JSON.stringify({
    dataDir: join(dir, 'data'),
    rules: { dir: join(ROOT, 'rules') },
    sources: [{ kind: 'hec', listen: '127.0.0.1:0', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }] }],
    destinations: { hook: { kind: 'webhook', url: receiver.url } },
    defaultRoute: ['hook'],
  }));
  const evaluator = await startEvaluator(configPath);
  try {
    const client = await runClientProcess({
      url: evaluator.url,
      token: TOKEN,
      seconds: options.seconds,
      connections: options.connections ?? 4,
      recordsPerBody: options.recordsPerBody ?? 100,
      markerEvery: 20,
      gzip: options.gzip ?? false,
    });
    const rss = rssMb(evaluator.pid);
    // Markers of the last bodies may still be in the outbox.
    for (let waited = 0; receiver.latencies.length < client.markers && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const sorted = [...receiver.latencies].sort((a, b) => a - b);
    return {
      eventsPerSecond: client.records / client.seconds,
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length },
      rssMb: rss,
      client,
    };
  } finally {
    await evaluator.stop();
    receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatLiveBench(options: LiveBenchOptions, result: LiveBenchResult): string {
  const { client, latencyMs } = result;
  return [
    `live (${options.seconds} s, ${options.connections ?? 4} connections, ${options.recordsPerBody ?? 100} records/body${options.gzip ? ', gzip' : ''}, evaluator ${pinned ? 'pinned to one core' : 'unpinned'}):`,
    `  sustained        : ${Math.round(result.eventsPerSecond).toLocaleString('en')} events/s (${client.bodies} bodies, ${client.busy} answered 503 = ${((client.busy / Math.max(1, client.bodies)) * 100).toFixed(1)}%, ${client.failed} failed)`,
    `  HEC response     : p50 ${client.acceptedMs.p50} ms, p99 ${client.acceptedMs.p99} ms, max ${client.acceptedMs.max} ms (accepted bodies)`,
    `  ingest→webhook   : p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms (${latencyMs.samples}/${client.markers} marker alerts)`,
    `  evaluator RSS    : ${result.rssMb.toFixed(0)} MB after ${options.seconds} s of load`,
  ].join('\n');
}

if (import.meta.main) {
  const seconds = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 60);
  const connections = Number(process.argv.find((arg) => arg.startsWith('--connections='))?.slice('--connections='.length) ?? 4);
  const options = { seconds, connections, gzip: process.argv.includes('--gzip') };
  console.log(formatLiveBench(options, await runLiveBench(options)));
}
