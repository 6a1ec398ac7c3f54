// `npm run bench -- peer`: tailwatch with the three Panther-ported rules against the Python harness of Panther's
// engine (bench/peer/), each as a whole process on the same streams, after checking that both give the same alerts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStream, type StreamOptions } from './generate-stream.ts';
import { median, timed, type ProcessRun } from './process-run.ts';
import { flatten, writeLines } from './stream-files.ts';

const PANTHER_RULES = ['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled', 'Tailscale.Machine.Approval.Requirements.Disabled'];
const root = join(import.meta.dirname, '..');
const harness = join(import.meta.dirname, 'peer', 'panther_harness.py');
const records = Number(process.env.BENCH_RECORDS ?? 200_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const dataDir = join(import.meta.dirname, '.data');

/** Panther's rules fire for the admin console only, tailwatch's ports for every origin: on these streams they agree. */
const STREAMS: { name: string; options: Omit<StreamOptions, 'records'> }[] = [
  { name: 'audit only, HEC envelopes', options: { auditShare: 1, shape: 'hec', auditOrigin: 'ADMIN_CONSOLE', actors: 5, stepMs: 60 } },
  { name: 'mixed (98% flow), HEC envelopes', options: { shape: 'hec', auditOrigin: 'ADMIN_CONSOLE', actors: 5 } },
  { name: 'mixed, Panther-stored rows', options: { shape: 'panther', auditOrigin: 'ADMIN_CONSOLE', actors: 5 } },
];

/** An alert as both engines can state it: rule, dedup string, window start (ms), count in the window, title. */
type AlertKey = [string, string, number, number, string];

function tailwatch(file: string, cwd: string): ProcessRun {
  const args = [join(root, 'bin', 'tailwatch.js'), 'replay', file, '--rules', join(root, 'rules'), '--format', 'json', '--workers', '1'];
  return timed(process.execPath, [...args, ...PANTHER_RULES.flatMap((id) => ['--rule', id])], cwd);
}

function python(mode: 'replay' | 'floor', file: string, cwd: string): ProcessRun {
  return timed('python3', [harness, mode, file], cwd);
}

/** The final form of each alert: its last revision. */
function tailwatchAlerts(stdout: string): AlertKey[] {
  const last = new Map<string, { revision: number; key: AlertKey }>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const a = JSON.parse(line) as { alertId: string; revision: number; ruleId: string; dedup: string; windowStart: string; eventCount: number; title: string };
    const seen = last.get(a.alertId);
    if (seen === undefined || a.revision > seen.revision) {
      last.set(a.alertId, { revision: a.revision, key: [a.ruleId, a.dedup, Date.parse(a.windowStart), a.eventCount, a.title] });
    }
  }
  return sorted([...last.values()].map((v) => v.key));
}

const sorted = (keys: AlertKey[]): AlertKey[] => keys.map((k) => JSON.stringify(k)).sort().map((k) => JSON.parse(k) as AlertKey);

function sameAlerts(name: string, ours: AlertKey[], theirs: AlertKey[]): void {
  const a = ours.map((k) => JSON.stringify(k));
  const b = new Set(theirs.map((k) => JSON.stringify(k)));
  const onlyOurs = a.filter((k) => !b.has(k));
  const onlyTheirs = [...b].filter((k) => !a.includes(k));
  if (onlyOurs.length === 0 && onlyTheirs.length === 0) return;
  throw new Error(
    `${name}: the engines disagree; no numbers reported.\n only tailwatch (${onlyOurs.length}): ${onlyOurs.slice(0, 5).join('\n   ')}\n only the harness (${onlyTheirs.length}): ${onlyTheirs.slice(0, 5).join('\n   ')}`,
  );
}


const rate = (n: number, ms: number): string => `${(n / (ms / 1000) / 1000).toFixed(1)}k rec/s`;

mkdirSync(dataDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tailwatch-peer-'));
try {
  console.log(`peer benchmark: ${records} records per stream, ${runs} alternating runs, medians; whole processes (start-up included)`);
  for (const [index, stream] of STREAMS.entries()) {
    const file = join(dataDir, `peer-${index}-${records}.log`);
    const flat = join(dataDir, `peer-${index}-${records}.ndjson`);
    if (!existsSync(file) || !existsSync(flat)) {
      await writeLines(file, generateStream({ records, ...stream.options }));
      await writeLines(flat, flatten(generateStream({ records, ...stream.options })));
    }
    const ours: ProcessRun[] = [];
    const theirs: ProcessRun[] = [];
    const nodeFloor: number[] = [];
    const pythonFloor: number[] = [];
    let evaluated = 0;
    for (let run = 0; run < runs; run++) {
      // Alternating, and each engine first in turn, so a slow spell of the shared machine favours neither.
      let t: ProcessRun;
      let p: ProcessRun;
      if (run % 2 === 0) {
        t = tailwatch(file, work);
        p = python('replay', file, work);
      } else {
        p = python('replay', file, work);
        t = tailwatch(file, work);
      }
      if (run === 0) {
        const summary = JSON.parse(p.stdout) as { records: number; evaluated: number; alerts: AlertKey[] };
        if (summary.records !== records) throw new Error(`${stream.name}: the harness read ${summary.records} records, not ${records}`);
        evaluated = summary.evaluated;
        sameAlerts(stream.name, tailwatchAlerts(t.stdout), sorted(summary.alerts));
      }
      ours.push(t);
      theirs.push(p);
      nodeFloor.push((JSON.parse(timed(process.execPath, [join(import.meta.dirname, 'floor-worker.ts'), flat], work).stdout) as { ms: number }).ms);
      pythonFloor.push((JSON.parse(python('floor', flat, work).stdout) as { ms: number }).ms);
    }
    const ourMs = median(ours.map((r) => r.wallMs));
    const theirMs = median(theirs.map((r) => r.wallMs));
    const alerts = tailwatchAlerts((ours[0] as ProcessRun).stdout).length;
    console.log(`\n${stream.name} (${evaluated} records reach the rules; ${alerts} alerts, identical in both engines)`);
    console.log(`  tailwatch          : ${rate(records, ourMs)} (${Math.round(ourMs)} ms), peak RSS ${median(ours.map((r) => r.maxRssMb)).toFixed(0)} MiB`);
    console.log(`  Panther harness    : ${rate(records, theirMs)} (${Math.round(theirMs)} ms), peak RSS ${median(theirs.map((r) => r.maxRssMb)).toFixed(0)} MiB`);
    // CPU time is less disturbed than wall time by other load on a shared machine.
    const ourCpu = median(ours.map((r) => r.cpuMs));
    const theirCpu = median(theirs.map((r) => r.cpuMs));
    console.log(`  ratio              : ${(theirMs / ourMs).toFixed(1)}× (by CPU time: ${(theirCpu / ourCpu).toFixed(1)}×, ${Math.round(ourCpu)} vs ${Math.round(theirCpu)} ms)`);
    console.log(`  JSON.parse (Node)  : ${rate(records, median(nodeFloor))}; tailwatch at ${((median(nodeFloor) / ourMs) * 100).toFixed(0)}% of it`);
    console.log(`  json.loads (Python): ${rate(records, median(pythonFloor))}; the harness at ${((median(pythonFloor) / theirMs) * 100).toFixed(0)}% of it`);
  }
  const empty = join(work, 'empty.log');
  await writeLines(empty, []);
  const startOurs: ProcessRun[] = [];
  const startTheirs: ProcessRun[] = [];
  for (let run = 0; run < runs; run++) {
    startOurs.push(tailwatch(empty, work));
    startTheirs.push(python('replay', empty, work));
  }
  const start = (r: ProcessRun[]) => `${Math.round(median(r.map((x) => x.wallMs)))} ms (CPU ${Math.round(median(r.map((x) => x.cpuMs)))} ms)`;
  console.log(`\nstart-up on an empty file: tailwatch ${start(startOurs)}, Panther harness ${start(startTheirs)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
