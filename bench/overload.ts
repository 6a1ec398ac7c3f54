// Overload bench: HEC response p99 and the 503 rate at 4 and at 100 connections (load shedding), then /healthz
// latency while one and four maximal gzip bodies (just under maxDecompressedBytes inflated) are processed, with the
// evaluator's memory (RSS and V8 heap) before, at peak and 5/15/60 s after. `npx node bench/overload.ts [seconds]`;
// `npm run bench` runs it too. NODE_OPTIONS reaches the evaluator (e.g. `--max-semi-space-size=16`, docs/running.md, "Memory after a burst").
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HEC_DEFAULTS } from '../engine/sources/hec.ts';
import { formatLiveBench, runLiveBench, startEvaluator } from './live.ts';
import { templates } from './live-client.ts';

const ROOT = join(import.meta.dirname, '..');
const TOKEN = 'bench-hec-token';
/** When memory is read after a burst, in seconds. */
const AFTER_S = [5, 15, 60];

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;
}

/** MB: RSS, and from the evaluator's /metrics (at most 1 s old) the V8 heap, its young generation and external memory. */
interface Memory { rss: number; heapUsed: number; heapTotal: number; young: number; external: number }

async function memory(base: string, pid: number): Promise<Memory> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const mb = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
  return {
    rss: rssMb(pid),
    heapUsed: mb('nodejs_heap_size_used_bytes'),
    heapTotal: mb('nodejs_heap_size_total_bytes'),
    young: mb('nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

const maxOf = (a: Memory, b: Memory): Memory => ({
  rss: Math.max(a.rss, b.rss), heapUsed: Math.max(a.heapUsed, b.heapUsed), heapTotal: Math.max(a.heapTotal, b.heapTotal),
  young: Math.max(a.young, b.young), external: Math.max(a.external, b.external),
});

function formatMemory(rows: readonly [string, Memory][]): string[] {
  const cell = (n: number) => String(Math.round(n)).padStart(10);
  return [
    `      memory MB       RSS heap used heap total  young gen   external`,
    ...rows.map(([label, m]) => `      ${label.padEnd(10)}${cell(m.rss)}${cell(m.heapUsed)}${cell(m.heapTotal)}${cell(m.young)}${cell(m.external)}`),
  ];
}

/** Flow records stamped now, HEC-enveloped, up to `bytes` of text; gzipped. */
function maximalBody(bytes: number): { gz: Buffer; inflated: number; records: number } {
  const now = Date.now();
  const start = new Date(now - 5000).toISOString();
  const end = new Date(now).toISOString();
  const lines = templates().map((t) => `{"time":${now / 1000},"event":${t.replace('@S', start).replace('@E', end)}}`);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const line = lines[i % lines.length]!;
    if (size + line.length > bytes) break;
    parts.push(line);
    size += line.length;
  }
  return { gz: gzipSync(parts.join('')), inflated: size, records: parts.length };
}

function post(url: string, body: Buffer): Promise<{ status: number; ms: number }> {
  const sent = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Splunk ${TOKEN}`, 'content-encoding': 'gzip', 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - sent }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - sent }));
    req.end(body);
  });
}

interface BurstResult { bodies: number; statuses: number[]; bodyMs: number; healthzMs: { p50: number; p99: number; max: number; samples: number }; memory: [string, Memory][] }

/** Polls /healthz back to back while `bodies` maximal bodies are posted at once. */
async function burst(base: string, pid: number, body: Buffer, bodies: number): Promise<BurstResult> {
  const before = await memory(base, pid);
  // RSS every 100 ms from /proc; the heap from /metrics, which renders at most once a second.
  let peak = before;
  let ticks = 0;
  const sampler = setInterval(() => {
    peak = { ...peak, rss: Math.max(peak.rss, rssMb(pid)) };
    if (++ticks % 10 === 0) void memory(base, pid).then((m) => { peak = maxOf(peak, m); }, () => {});
  }, 100);
  const healthz: number[] = [];
  let posting = true;
  const poll = (async () => {
    while (posting) {
      const t = performance.now();
      await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
      healthz.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const started = performance.now();
  const replies = await Promise.all(Array.from({ length: bodies }, () => post(`${base}/services/collector/event`, body)));
  const bodyMs = performance.now() - started;
  posting = false;
  await poll;
  clearInterval(sampler);
  const rows: [string, Memory][] = [['before', before], ['peak', peak]];
  for (const seconds of AFTER_S) {
    await new Promise((r) => setTimeout(r, seconds * 1000 - (performance.now() - started - bodyMs)));
    rows.push([`+${seconds} s`, await memory(base, pid)]);
  }
  healthz.sort((a, b) => a - b);
  const at = (p: number) => Math.round(healthz[Math.min(healthz.length - 1, Math.floor(p * healthz.length))] ?? Number.NaN);
  return {
    bodies,
    statuses: replies.map((r) => r.status),
    bodyMs: Math.round(bodyMs),
    healthzMs: { p50: at(0.5), p99: at(0.99), max: Math.round(healthz.at(-1) ?? Number.NaN), samples: healthz.length },
    memory: rows,
  };
}

export async function runOverloadBench(seconds: number): Promise<string> {
  const out: string[] = [];
  for (const connections of [4, 100]) {
    const options = { seconds, connections };
    out.push(formatLiveBench(options, await runLiveBench(options)));
  }
  const dir = await mkdtemp(join(tmpdir(), 'tailwatch-overload-bench-'));
  const configPath = join(dir, 'alerts.config.json');
  await writeFile(configPath, JSON.stringify({
    dataDir: join(dir, 'data'),
    rules: { dir: join(ROOT, 'rules') },
    sources: [{ kind: 'hec', listen: '127.0.0.1:0', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }] }],
    destinations: { console: { kind: 'file', path: join(dir, 'alerts.ndjson') } },
    defaultRoute: ['console'],
  }));
  const { gz, inflated, records } = maximalBody(HEC_DEFAULTS.maxDecompressedBytes - 2 ** 20);
  const evaluator = await startEvaluator(configPath);
  try {
    const base = evaluator.url.replace('/services/collector/event', '');
    out.push(`maximal gzip body: ${(gz.length / 2 ** 10).toFixed(0)} KiB inflating to ${(inflated / 2 ** 20).toFixed(0)} MiB (${records.toLocaleString('en')} records)`);
    for (const bodies of [1, 4]) {
      const r = await burst(base, evaluator.pid, gz, bodies);
      out.push(`  ${bodies} at once      : answered ${r.statuses.join(',')} in ${r.bodyMs} ms; /healthz p50 ${r.healthzMs.p50} ms, p99 ${r.healthzMs.p99} ms, max ${r.healthzMs.max} ms (${r.healthzMs.samples} probes)`);
      out.push(...formatMemory(r.memory));
    }
  } finally {
    await evaluator.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return out.join('\n');
}

if (import.meta.main) {
  const seconds = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 20);
  console.log(await runOverloadBench(seconds));
}
