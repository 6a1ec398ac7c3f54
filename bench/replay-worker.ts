// Replay of one file with every rule in rules/, in its own process so its peak RSS is its own. Variants: `per-event`
// (without the aggregate and first-seen rules), `no-first-seen` (without the first-seen rules), `first-seen-busy`
// (the prod-edge rule watching the stream's tag:server nodes, learning off: every flow entry is an observation).
import { join } from 'node:path';
import { runReplay } from '../engine/pipeline/replay.ts';
import { resolveInputs } from '../engine/pipeline/read-inputs.ts';
import { loadRules } from '../engine/rules/load-rules.ts';

const variant = process.argv[3];
const busy = { 'Tailscale.Prod.Edge.First.Seen': { destinationTags: ['tag:server'], learningDays: 0 } };
const all = await loadRules(join(import.meta.dirname, '..', 'rules'), variant === 'first-seen-busy' ? { options: busy } : {});
const keep = variant === 'per-event' ? ['rule'] : variant === 'no-first-seen' ? ['rule', 'aggregate'] : undefined;
const rules = keep === undefined ? all : all.filter((loaded) => keep.includes(loaded.rule.kind));
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
