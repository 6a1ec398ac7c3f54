// npm run bench: the JSON.parse floor and full replay over the same generated stream, each in its own process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStream } from './generate-stream.ts';
import { median, timed } from './process-run.ts';
import { flatten, writeLines } from './stream-files.ts';

if (process.argv[2] === 'peer') {
  await import('./peer.ts');
  process.exit(0);
}
if (process.argv[2] === 'console') {
  await import('./console.ts');
  process.exit(0);
}
if (process.argv[2] === 'cluster') {
  await import('./cluster.ts');
  process.exit(0);
}

const records = Number(process.env.BENCH_RECORDS ?? 100_000);
const dir = join(import.meta.dirname, '.data');
const mixed = join(dir, `stream-${records}.log`);
const flat = join(dir, `flat-${records}.ndjson`);

interface Run { records: number; events?: number; bytes: number; ms: number; cpuMs: number; maxRssMb?: number; alerts?: number }

function run(script: string, ...args: string[]): Run {
  const output = execFileSync(process.execPath, [join(import.meta.dirname, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output) as Run;
}

const fastest = (runs: Run[]): Run => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

/** The runs alternate, so a slow spell of a shared machine cannot favour one of them; the best of each counts. */
function bestAlternating(times: number): { floor: Run; replay: Run; perEvent: Run; noFirstSeen: Run; firstSeenBusy: Run } {
  const floors: Run[] = [];
  const replays: Run[] = [];
  const perEvent: Run[] = [];
  const noFirstSeen: Run[] = [];
  const firstSeenBusy: Run[] = [];
  for (let i = 0; i < times; i++) {
    floors.push(run('floor-worker.ts', flat));
    replays.push(run('replay-worker.ts', mixed));
    perEvent.push(run('replay-worker.ts', mixed, 'per-event'));
    noFirstSeen.push(run('replay-worker.ts', mixed, 'no-first-seen'));
    firstSeenBusy.push(run('replay-worker.ts', mixed, 'first-seen-busy'));
  }
  return { floor: fastest(floors), replay: fastest(replays), perEvent: fastest(perEvent), noFirstSeen: fastest(noFirstSeen), firstSeenBusy: fastest(firstSeenBusy) };
}

mkdirSync(dir, { recursive: true });
if (!existsSync(mixed) || !existsSync(flat)) {
  await writeLines(mixed, generateStream({ records }));
  await writeLines(flat, flatten(generateStream({ records })));
}

const { floor, replay, perEvent, noFirstSeen, firstSeenBusy } = bestAlternating(Number(process.env.BENCH_RUNS ?? 5));
const r3 = (ms: number) => Math.round(ms).toLocaleString('en');
const mbps = (r: Run) => r.bytes / 1e6 / (r.ms / 1000);
const perSecond = (r: Run) => r.records / (r.ms / 1000);

console.log(`records: ${records} (${(replay.bytes / 1e6).toFixed(1)} MB mixed shapes, ${(floor.bytes / 1e6).toFixed(1)} MB flat)`);
console.log(`JSON.parse floor : ${Math.round(perSecond(floor)).toLocaleString('en')} records/s, ${mbps(floor).toFixed(0)} MB/s`);
console.log(`full replay      : ${Math.round(perSecond(replay)).toLocaleString('en')} records/s, ${mbps(replay).toFixed(0)} MB/s, ${replay.alerts} alerts, peak RSS ${replay.maxRssMb?.toFixed(0)} MB`);
console.log(`replay / floor   : ${((perSecond(replay) / perSecond(floor)) * 100).toFixed(0)}% (records/s)`);
// CPU time is less disturbed than wall time by other load on the machine (it includes GC threads, though).
const perCpuSecond = (r: Run) => r.records / (r.cpuMs / 1000);
console.log(`  by CPU time    : ${((perCpuSecond(replay) / perCpuSecond(floor)) * 100).toFixed(0)}% (floor ${r3(floor.cpuMs)} ms, replay ${r3(replay.cpuMs)} ms CPU)`);
// Where the time goes: the same replay without the aggregate (flow window) and first-seen rules, and without the
// first-seen rules alone; then with the prod-edge rule observing every flow entry of the stream.
const ofFloor = (r: Run) => `${Math.round(perSecond(r)).toLocaleString('en')} records/s, ${((perSecond(r) / perSecond(floor)) * 100).toFixed(0)}% of the floor`;
console.log(`per-event rules only: ${ofFloor(perEvent)}`);
const ratio = (a: Run, b: Run) => `${((perSecond(a) / perSecond(b)) * 100).toFixed(0)}% (by CPU time ${((b.cpuMs / a.cpuMs) * 100).toFixed(0)}%)`;
console.log(`without first-seen rules: ${ofFloor(noFirstSeen)}; full / without: ${ratio(replay, noFirstSeen)}`);
console.log(`first-seen on every flow entry: ${ofFloor(firstSeenBusy)}, ${firstSeenBusy.alerts} alerts; busy / without: ${ratio(firstSeenBusy, noFirstSeen)}`);

// The same full replay as a whole process (start-up included), on a stream whose flow records have nanosecond times
// and random source ports, against the JSON.parse floor of that stream; medians of alternating runs.
const wholeRecords = Number(process.env.BENCH_WHOLE_RECORDS ?? 200_000);
const nsStream = join(dir, `stream-ns-${wholeRecords}.log`);
const nsFlat = join(dir, `flat-ns-${wholeRecords}.ndjson`);
if (!existsSync(nsStream) || !existsSync(nsFlat)) {
  await writeLines(nsStream, generateStream({ records: wholeRecords, nanosecondTimes: true }));
  await writeLines(nsFlat, flatten(generateStream({ records: wholeRecords, nanosecondTimes: true })));
}
const work = mkdtempSync(join(tmpdir(), 'tailwatch-bench-'));
try {
  const tailwatch = [join(import.meta.dirname, '..', 'bin', 'tailwatch.js'), 'replay', nsStream, '--rules', join(import.meta.dirname, '..', 'rules'), '--format', 'json', '--workers', '1'];
  // The same replay with one worker per core, each evaluating a share of the rules (replay --workers).
  const cores = availableParallelism();
  const parallel = [...tailwatch.slice(0, -1), String(cores)];
  const parallelMs: number[] = [];
  const parallelRss: number[] = [];
  const wholeMs: number[] = [];
  const wholeCpuMs: number[] = [];
  const wholeRss: number[] = [];
  const floorMs: number[] = [];
  // The same replay with the rules on the main thread (bench/replay-worker.ts), as a whole process too: what the
  // watched worker that isolates rule code costs.
  const inThreadMs: number[] = [];
  const inThreadRss: number[] = [];
  for (let i = 0; i < Number(process.env.BENCH_RUNS ?? 5); i++) {
    const whole = timed(process.execPath, tailwatch, work);
    wholeMs.push(whole.wallMs);
    wholeCpuMs.push(whole.cpuMs);
    wholeRss.push(whole.maxRssMb);
    floorMs.push(run('floor-worker.ts', nsFlat).ms);
    const inThread = timed(process.execPath, [join(import.meta.dirname, 'replay-worker.ts'), nsStream], work);
    inThreadMs.push(inThread.wallMs);
    inThreadRss.push(inThread.maxRssMb);
    const spread = timed(process.execPath, parallel, work);
    parallelMs.push(spread.wallMs);
    parallelRss.push(spread.maxRssMb);
  }
  const percent = (median(floorMs) / median(wholeMs)) * 100;
  console.log(
    `whole process    : ${Math.round(wholeRecords / (median(wholeMs) / 1000)).toLocaleString('en')} records/s (${wholeRecords.toLocaleString('en')} records, ` +
      `nanosecond times, random source ports; start-up included), ${percent.toFixed(0)}% of its floor; CPU ${r3(median(wholeCpuMs))} ms, ` +
      `peak RSS ${median(wholeRss).toFixed(0)} MiB`,
  );
  console.log(
    `rule isolation   : the same replay with rules on the main thread takes ${r3(median(inThreadMs))} ms against ${r3(median(wholeMs))} ms ` +
      `in the watched worker (${((median(inThreadMs) / median(wholeMs)) * 100).toFixed(0)}% of its speed kept); peak RSS ${median(inThreadRss).toFixed(0)} → ${median(wholeRss).toFixed(0)} MiB`,
  );
  console.log(
    `--workers ${cores}      : ${r3(median(parallelMs))} ms against ${r3(median(wholeMs))} ms with one worker, ` +
      `${(median(wholeMs) / median(parallelMs)).toFixed(2)}× (the rules split by state; every worker parses every record); peak RSS ${median(parallelRss).toFixed(0)} MiB`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

// The live bench (a real `tailwatch run` under HTTP load); BENCH_LIVE_SECONDS=0 skips it.
const liveSeconds = Number(process.env.BENCH_LIVE_SECONDS ?? 60);
if (liveSeconds > 0) {
  const { formatLiveBench, runLiveBench } = await import('./live.ts');
  const options = { seconds: liveSeconds, gzip: process.env.BENCH_LIVE_GZIP === '1' };
  console.log(formatLiveBench(options, await runLiveBench(options)));
  // Load shedding at 4 and 100 connections, and /healthz while maximal gzip bodies are processed.
  const { runOverloadBench } = await import('./overload.ts');
  console.log(await runOverloadBench(Math.min(liveSeconds, 20)));
}
