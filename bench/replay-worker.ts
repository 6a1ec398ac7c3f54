// Replay of one file with every rule in rules/ (or, with `per-event`, without the aggregate rules), in its own
// process so its peak RSS is its own.
import { join } from 'node:path';
import { runReplay } from '../engine/pipeline/replay.ts';
import { resolveInputs } from '../engine/pipeline/read-inputs.ts';
import { loadRules } from '../engine/rules/load-rules.ts';

const all = await loadRules(join(import.meta.dirname, '..', 'rules'));
const rules = process.argv[3] === 'per-event' ? all.filter((loaded) => loaded.rule.kind === 'rule') : all;
const inputs = await resolveInputs([process.argv[2] ?? '']);
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
const stats = await runReplay({ inputs, rules, onAlert: () => {} });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const { user, system } = process.cpuUsage(cpu);
const events = Object.values(stats.eventsByLogType).reduce((sum, n) => sum + n, 0);
process.stdout.write(
  JSON.stringify({
    records: stats.recordsRead, events, bytes: stats.bytesRead, ms, cpuMs: (user + system) / 1000, alerts: stats.alerts,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
