// The work behind `tailwatch replay`: the replay itself runs in worker threads under the watchdog (replay-worker.ts),
// each with a share of the rules (`--workers`); this side merges and prints their alerts, rejects and summary, and
// starts them over without a rule the watchdog stopped.
import { loadConfigOrDefault } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { parseSettings } from '../config/parse-settings.ts';
import { ruleBudgets } from '../config/rules-config.ts';
import { formatStats } from '../pipeline/replay-stats.ts';
import { isStdin } from '../pipeline/stdin-path.ts';
import { loadOverrunError } from '../workers/watched-worker.ts';
import { ReplayAttempt } from './replay-attempt.ts';
import type { ReplayJob } from './replay-messages.ts';
import { ReplayOutput } from './replay-output.ts';
import { defaultWorkers } from './replay-workers.ts';
import { spoolStdin } from './stdin-spool.ts';
import { timeRange } from './time-range.ts';

export interface ReplayArgs {
  paths: string[];
  tailnet: string | undefined;
  'tailnet-map': string[] | undefined;
  inventory: string | undefined;
  rules: string | undefined;
  rule: string[] | undefined;
  from: string | undefined;
  to: string | undefined;
  learnFrom: string | undefined;
  format: 'json' | 'text' | undefined;
  rejects: string | undefined;
  config: string | undefined;
  deliver: boolean;
  progress: boolean | undefined;
  signals: boolean;
  /** Worker threads; undefined: one per core for a large input, else one. */
  workers: number | undefined;
}

export async function runReplayCommand(args: ReplayArgs): Promise<void> {
  const output = new ReplayOutput({ format: args.format, progress: args.progress, rejects: args.rejects, keepAlerts: args.deliver });
  // The first worker is spawned at once: it imports the engine while this thread loads the config.
  const attempt = new ReplayAttempt(output);
  try {
    await replay(args, attempt, output);
  } finally {
    // Never started when something failed first (a bad config, bad arguments); gone already otherwise.
    await attempt.terminate();
  }
}

async function replay(args: ReplayArgs, firstAttempt: ReplayAttempt, output: ReplayOutput): Promise<void> {
  const config = await loadConfigOrDefault(args.config, { checkSecrets: args.deliver ? 'destinations' : false });
  // The lock is in the state database: node:sqlite is loaded only when it is needed.
  if (args.deliver) (await import('../state/evaluator-lock.ts')).assertNoRunningEvaluator(config.dataDir, 'replay --deliver');
  timeRange(args);
  const settings = replayJobConfig(config);
  const stdinFile = args.paths.some(isStdin) ? await spoolStdin() : undefined;
  const workers = args.workers ?? (await defaultWorkers(args.paths, stdinFile?.path));
  const stopped: string[] = [];
  output.begin();
  try {
    let attempt: ReplayAttempt | undefined = firstAttempt;
    while (output.stats === undefined) {
      output.restart();
      const end = await (attempt ?? new ReplayAttempt(output)).run(workers, { args, config: settings, stopped, stdinFile: stdinFile?.path }, ruleBudgets(config.rules));
      attempt = undefined;
      if (end.kind === 'failed') throw end.error;
      if (end.kind === 'exited') {
        if (output.stats === undefined) throw new Error('the replay worker ended without a result');
        break;
      }
      const { overrun } = end;
      if (overrun.what === 'load') throw loadOverrunError(overrun);
      stopped.push(overrun.ruleId);
      output.note(`tailwatch: rule ${overrun.ruleId} was stopped: one call ran longer than its time budget of ${overrun.budgetMs} ms (rules.timeBudgetMs); the replay starts over without it`);
    }
  } finally {
    await stdinFile?.remove();
  }
  await output.end();
  const { stats } = output;
  process.stderr.write(`${formatStats(stats)}\n`);
  if (stopped.length > 0) {
    const them = stopped.length === 1 ? 'it' : 'them';
    process.stderr.write(`tailwatch: stopped for overrunning the time budget: ${stopped.join(', ')}. The alerts written are those of a replay without ${them} (plus any ${stopped.length === 1 ? 'it' : 'they'} wrote before being stopped).\n`);
    process.exitCode = 1;
  }

  if (args.deliver) {
    const { deliverAlerts } = await import('../destinations/deliver-alerts.ts');
    // A stdout destination writes to stderr here: stdout is the replay's own output (NDJSON or the table).
    const summary = await deliverAlerts(config, output.delivered, { stdout: process.stderr });
    process.stderr.write(
      `delivered: ${summary.outcomes.delivered}, dead-lettered: ${summary.outcomes.dead_letter}, still pending: ${summary.pending} (of ${summary.enqueued} deliveries)\n`,
    );
  }
  if (stats.filesFailed.length > 0) process.exitCode = 1;
}

/** What a replay worker needs of the config, as data. */
export function replayJobConfig(config: Config): ReplayJob['config'] {
  return {
    rules: config.rules,
    parse: parseSettings(config),
    allowedLatenessMinutes: config.time.allowedLatenessMinutes,
    suppressions: config.suppressions,
    dataDir: config.dataDir,
  };
}
