// RSS of 1 million live aggregate groups: `npx node --expose-gc bench/aggregate-groups.ts [groups] [sum|distinct] [minutes]`.
// Uses the window layouts of the shipped traffic rules (sum with a 4-hour baseline; distinct) at the default
// lateness, and one contribution per group per minute (so every group also holds a top contributor), in `minutes`
// consecutive minutes (default 1; a sum group seen in more than one minute keeps a whole minute ring).
import { Aggregator } from '../engine/aggregate/aggregator.ts';
import type { AggregatorOutput } from '../engine/aggregate/aggregator.ts';
import type { AggregateWindow, Emit } from '../engine/aggregate/types.ts';
import { windowLayout } from '../engine/aggregate/window-layout.ts';
import { getHeapSpaceStatistics } from 'node:v8';
import { DEFAULT_ALLOWED_LATENESS_MINUTES } from '../engine/alerts/lateness.ts';
import type { TailscaleEvent } from '../engine/schemas/log-types.ts';

const GROUPS = Number(process.argv[2] ?? 1_000_000);
const MINUTES = Number(process.argv[4] ?? 1);
const BATCH = 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function rssMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** V8 sizes its young generation by allocation rate, not by live data: part of the RSS growth, but not per group. */
function youngGenerationMb(): number {
  return (getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.physical_space_size ?? 0) / 2 ** 20;
}

function measure(name: string, window: AggregateWindow): void {
  const before = rssMb();
  const youngBefore = youngGenerationMb();
  let next = 0;
  const contributions = (_event: TailscaleEvent, _options: Record<string, unknown>, emit: Emit) => {
    for (let i = 0; i < BATCH; i++, next++) {
      const group = `100.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
      emit(group, 1_000_000 + next, `node-${next % 5000}.example.ts.net → :443`, `10.0.${next & 255}.1`);
    }
  };
  const aggregator = new Aggregator(windowLayout(name, { ...window, maxGroups: GROUPS }, DEFAULT_ALLOWED_LATENESS_MINUTES), contributions, {});
  const output: AggregatorOutput = { crossings: [], settled: [] };
  const event = { p_log_type: 'Tailscale.Network', p_tailnet: 'default' } as TailscaleEvent;
  const started = performance.now();
  for (let minute = 0; minute < MINUTES; minute++) {
    next = 0;
    for (let b = 0; b < GROUPS / BATCH; b++) {
      const at = Date.UTC(2026, 0, 1, 12, minute, b % 60);
      aggregator.process(event, at, at, at, output);
      output.crossings.length = 0;
    }
  }
  const ms = performance.now() - started;
  const after = rssMb();
  const young = youngGenerationMb() - youngBefore;
  const perGroup = (mb: number) => ((mb * 2 ** 20) / aggregator.liveGroups).toFixed(0);
  console.log(
    `${name}, ${MINUTES} minute(s) per group, lateness ${DEFAULT_ALLOWED_LATENESS_MINUTES} min: ${aggregator.liveGroups.toLocaleString('en')} live groups, ` +
      `RSS +${(after - before).toFixed(0)} MB (${perGroup(after - before)} bytes/group; without the young generation's growth of ` +
      `${young.toFixed(0)} MB: ${perGroup(after - before - young)}), ${((aggregator.counts.contributions / ms) * 1000).toFixed(0)} contributions/s`,
  );
}

/** One layout per process run (freed memory is not always returned to the OS, which would skew the second). */
function measureIf(name: string, window: AggregateWindow): void {
  if (process.argv[3] === undefined || name.includes(process.argv[3])) measure(name, window);
}

console.log(`baseline RSS ${rssMb().toFixed(0)} MB`);
measureIf('sum, 15-min window, 4-hour baseline (High.Virtual.Traffic)', {
  measure: 'sum',
  windowMinutes: 15,
  atLeast: 10 * 2 ** 30,
  baseline: { factor: 5, hours: 4 },
});
measureIf('distinct, 10-min window (SSH.Fanout)', { measure: 'distinct', windowMinutes: 10, atLeast: 10 });
