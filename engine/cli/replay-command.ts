// The work behind `tailwatch replay`: the replay itself runs in a worker thread under the watchdog (replay-worker.ts);
// this side prints its alerts, rejects and summary, and starts it over without a rule the watchdog stopped.
import { loadConfigOrDefault } from '../config/load.ts';
import { parseSettings } from '../config/parse-settings.ts';
import { ruleBudgets } from '../config/rules-config.ts';
import { formatStats } from '../pipeline/replay-stats.ts';
import { isStdin } from '../pipeline/stdin-path.ts';
import { loadOverrunError, WatchedWorker, workerScript } from '../workers/watched-worker.ts';
import type { ReplayJob, ReplayMessage } from './replay-messages.ts';
import { ReplayOutput } from './replay-output.ts';
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
}

export async function runReplayCommand(args: ReplayArgs): Promise<void> {
  const output = new ReplayOutput({ format: args.format, progress: args.progress, rejects: args.rejects, keepAlerts: args.deliver });
  // Spawned first: the worker imports the engine while this thread loads the config.
  const worker = replayWorker(output);
  try {
    await replay(args, worker, output);
  } finally {
    // Never started when something failed first (a bad config, bad arguments); gone already otherwise.
    await worker.terminate();
  }
}

async function replay(args: ReplayArgs, firstWorker: WatchedWorker, output: ReplayOutput): Promise<void> {
  const config = await loadConfigOrDefault(args.config, { checkSecrets: args.deliver ? 'destinations' : false });
  // The lock is in the state database: node:sqlite is loaded only when it is needed.
  if (args.deliver) (await import('../state/evaluator-lock.ts')).assertNoRunningEvaluator(config.dataDir, 'replay --deliver');
  timeRange(args);
  const settings: ReplayJob['config'] = {
    rules: config.rules,
    parse: parseSettings(config),
    allowedLatenessMinutes: config.time.allowedLatenessMinutes,
    suppressions: config.suppressions,
    dataDir: config.dataDir,
  };
  const stdinFile = args.paths.some(isStdin) ? await spoolStdin() : undefined;
  const stopped: string[] = [];
  output.begin();
  try {
    let worker: WatchedWorker | undefined = firstWorker;
    while (output.stats === undefined) {
      output.restart();
      const end = await (worker ?? replayWorker(output)).start({ args, config: settings, stopped, stdinFile: stdinFile?.path } satisfies ReplayJob, ruleBudgets(config.rules));
      worker = undefined;
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

function replayWorker(output: ReplayOutput): WatchedWorker {
  return new WatchedWorker(workerScript(import.meta.url, 'replay-worker'), (message) => output.onMessage(message as ReplayMessage));
}
