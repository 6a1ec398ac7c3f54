// The work behind `tailwatch replay`: the replay itself runs in a worker thread under the watchdog (replay-worker.ts);
// this side prints its alerts, rejects and summary, and starts it over without a rule the watchdog stopped.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Alert } from '../alerts/alert.ts';
import { loadConfigOrDefault } from '../config/load.ts';
import { ruleBudgets } from '../config/rules-config.ts';
import type { RejectedRecord } from '../decode/types.ts';
import { formatStats } from '../pipeline/replay-stats.ts';
import type { ReplayStats } from '../pipeline/replay-stats.ts';
import { isStdin } from '../pipeline/stdin-path.ts';
import { loadOverrunError, WatchedWorker, workerScript } from '../workers/watched-worker.ts';
import { alertTableHeader, alertTableRow, signalTableRow } from './alert-table.ts';
import { createProgressBar } from './progress-bar.ts';
import type { ProgressBar } from './progress-bar.ts';
import type { ReplayJob, ReplayMessage } from './replay-messages.ts';
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

/** Rejects printed on stderr; past this many, only --rejects FILE holds them all. */
const REJECTS_SHOWN = 100;

export async function runReplayCommand(args: ReplayArgs): Promise<void> {
  const config = await loadConfigOrDefault(args.config, { checkSecrets: args.deliver ? 'destinations' : false });
  // The lock is in the state database: node:sqlite is loaded only when it is needed.
  if (args.deliver) (await import('../state/evaluator-lock.ts')).assertNoRunningEvaluator(config.dataDir, 'replay --deliver');
  timeRange(args);
  const format = args.format ?? (process.stdout.isTTY ? 'text' : 'json');
  const showProgress = args.progress ?? process.stderr.isTTY === true;
  let progress: ProgressBar | undefined;
  const rejectsFile = args.rejects === undefined ? undefined : createWriteStream(args.rejects);
  const delivered: Alert[] = [];
  let rejectsShown = 0;
  // What earlier attempts wrote: an attempt after a rule was stopped writes only what they did not.
  const written = { alerts: new Set<string>(), signals: new Set<string>(), rejects: 0, inputErrors: new Set<string>() };
  let rejectsThisAttempt = 0;
  let stats: ReplayStats | undefined;

  const onMessage = (message: ReplayMessage): void => {
    switch (message.type) {
      case 'inputs':
        if (showProgress) progress ??= createProgressBar(process.stderr, message.totalBytes);
        return;
      case 'progress':
        progress?.update(message.bytesRead);
        return;
      case 'alert': {
        const { alert } = message;
        if (written.alerts.has(alert.alertId)) return;
        written.alerts.add(alert.alertId);
        progress?.clear();
        process.stdout.write(format === 'json' ? `${JSON.stringify(alert)}\n` : `${alertTableRow(alert)}\n`);
        if (args.deliver) delivered.push(alert);
        return;
      }
      case 'signal': {
        const key = JSON.stringify(message.signal);
        if (written.signals.has(key)) return;
        written.signals.add(key);
        progress?.clear();
        process.stdout.write(format === 'json' ? `${JSON.stringify({ type: 'SIGNAL', ...message.signal })}\n` : `${signalTableRow(message.signal)}\n`);
        return;
      }
      case 'reject': {
        // Stopped rules still validate their log types, so every attempt rejects the same records in the same order.
        rejectsThisAttempt += 1;
        if (rejectsThisAttempt <= written.rejects) return;
        written.rejects += 1;
        rejectsFile?.write(`${JSON.stringify(rejectLine(message.reject))}\n`);
        if (rejectsShown++ < REJECTS_SHOWN) {
          progress?.clear();
          process.stderr.write(`rejected (${message.reject.reason}): ${message.reject.message}\n`);
        }
        return;
      }
      case 'input-error':
        if (written.inputErrors.has(message.message)) return;
        written.inputErrors.add(message.message);
        progress?.clear();
        process.stderr.write(`tailwatch: ${message.message}\n`);
        return;
      case 'done':
        stats = message.stats;
    }
  };

  if (format === 'text') process.stdout.write(`${alertTableHeader()}\n`);
  const stdinFile = args.paths.some(isStdin) ? await spoolStdin() : undefined;
  const stopped: string[] = [];
  try {
    const budgets = ruleBudgets(config.rules);
    while (stats === undefined) {
      rejectsThisAttempt = 0;
      const job: ReplayJob = { args, stopped, stdinFile: stdinFile?.path };
      const end = await new WatchedWorker(workerScript(import.meta.url, 'replay-worker'), { ...job }, budgets, (message) => onMessage(message as ReplayMessage)).ended;
      if (end.kind === 'failed') throw end.error;
      if (end.kind === 'exited') {
        if (stats === undefined) throw new Error('the replay worker ended without a result');
        break;
      }
      const { overrun } = end;
      if (overrun.what === 'load') throw loadOverrunError(overrun);
      stopped.push(overrun.ruleId);
      progress?.clear();
      process.stderr.write(`tailwatch: rule ${overrun.ruleId} was stopped: one call ran longer than its time budget of ${overrun.budgetMs} ms (rules.timeBudgetMs); the replay starts over without it\n`);
    }
  } finally {
    await stdinFile?.remove();
  }
  progress?.done();
  if (rejectsFile !== undefined) {
    rejectsFile.end();
    await once(rejectsFile, 'close');
  }
  if (rejectsShown > REJECTS_SHOWN) {
    process.stderr.write(`... ${rejectsShown - REJECTS_SHOWN} more rejects${args.rejects === undefined ? ' (--rejects FILE keeps them all)' : ` in ${args.rejects}`}\n`);
  }
  process.stderr.write(`${formatStats(stats)}\n`);
  if (stopped.length > 0) {
    process.stderr.write(
      `tailwatch: stopped for overrunning the time budget: ${stopped.join(', ')}. The alerts written are those of a replay without ${stopped.length === 1 ? 'it' : 'them'} (plus any ${stopped.length === 1 ? 'it' : 'they'} wrote before being stopped).\n`,
    );
    process.exitCode = 1;
  }

  if (args.deliver) {
    const { deliverAlerts } = await import('../destinations/deliver-alerts.ts');
    // A stdout destination writes to stderr here: stdout is the replay's own output (NDJSON or the table).
    const summary = await deliverAlerts(config, delivered, { stdout: process.stderr });
    process.stderr.write(
      `delivered: ${summary.outcomes.delivered}, dead-lettered: ${summary.outcomes.dead_letter}, still pending: ${summary.pending} (of ${summary.enqueued} deliveries)\n`,
    );
  }
  if (stats.filesFailed.length > 0) process.exitCode = 1;
}

function rejectLine(reject: RejectedRecord): Record<string, unknown> {
  return { ...reject.position, reason: reject.reason, message: reject.message, raw: reject.raw };
}
