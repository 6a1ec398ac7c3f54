// The work behind `tailwatch replay`: load config and rules, replay the inputs, print alerts, rejects and a summary.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Alert } from '../alerts/alert.ts';
import { loadConfigOrDefault } from '../config/load.ts';
import { parseSettings } from '../config/parse-settings.ts';
import type { RejectedRecord } from '../decode/types.ts';
import { RuleLoadError } from '../errors.ts';
import { loadRules, type LoadedRule } from '../rules/load-rules.ts';
import { compileGlob, unmatchedPatterns } from '../rules/rule-id-glob.ts';
import { assertNoRunningEvaluator } from '../state/evaluator-lock.ts';
import { alertTableHeader, alertTableRow } from './alert-table.ts';
import { createProgressBar } from './progress-bar.ts';
import { resolveInputs } from '../pipeline/read-inputs.ts';
import { runReplay } from '../pipeline/replay.ts';
import { formatStats } from '../pipeline/replay-stats.ts';
import { timeRange } from './time-range.ts';
import { suppressionsWithDataDir } from '../suppressions/suppression-list.ts';

export interface ReplayArgs {
  paths: string[];
  tailnet: string | undefined;
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
}

/** Rejects printed on stderr; past this many, only --rejects FILE holds them all. */
const REJECTS_SHOWN = 100;

export async function runReplayCommand(args: ReplayArgs): Promise<void> {
  const config = await loadConfigOrDefault(args.config, { checkSecrets: args.deliver ? 'destinations' : false });
  if (args.deliver) assertNoRunningEvaluator(config.dataDir, 'replay --deliver');
  const rulesDir = args.rules ?? config.rules.dir;
  const loaded = await loadRules(rulesDir, { options: config.rules.options, ...(args.rule === undefined ? {} : { patterns: args.rule }) });
  const rules = args.rule === undefined ? loaded : selectRules(loaded, args.rule, rulesDir);
  const range = timeRange(args);
  const inputs = await resolveInputs(args.paths);

  const format = args.format ?? (process.stdout.isTTY ? 'text' : 'json');
  const showProgress = args.progress ?? process.stderr.isTTY === true;
  const totalBytes = inputs.every((input) => input.bytes !== undefined) ? inputs.reduce((sum, input) => sum + (input.bytes ?? 0), 0) : undefined;
  const progress = showProgress ? createProgressBar(process.stderr, totalBytes) : undefined;
  const rejectsFile = args.rejects === undefined ? undefined : createWriteStream(args.rejects);
  const delivered: Alert[] = [];
  let rejectsShown = 0;

  if (format === 'text') process.stdout.write(`${alertTableHeader()}\n`);
  const stats = await runReplay({
    inputs,
    rules,
    parse: { ...parseSettings(config), ...(args.tailnet === undefined ? {} : { tailnet: args.tailnet }) },
    allowedLatenessMinutes: config.time.allowedLatenessMinutes,
    suppressions: suppressionsWithDataDir(config),
    ...range,
    onAlert: (alert) => {
      progress?.clear();
      process.stdout.write(format === 'json' ? `${JSON.stringify(alert)}\n` : `${alertTableRow(alert)}\n`);
      if (args.deliver) delivered.push(alert);
    },
    onReject: (reject) => {
      rejectsFile?.write(`${JSON.stringify(rejectLine(reject))}\n`);
      if (rejectsShown++ < REJECTS_SHOWN) {
        progress?.clear();
        process.stderr.write(`rejected (${reject.reason}): ${reject.message}\n`);
      }
    },
    ...(progress === undefined ? {} : { onProgress: progress.update }),
    onInputError: (error) => {
      progress?.clear();
      process.stderr.write(`tailwatch: ${error.message}\n`);
    },
  });
  progress?.done();
  if (rejectsFile !== undefined) {
    rejectsFile.end();
    await once(rejectsFile, 'close');
  }
  if (rejectsShown > REJECTS_SHOWN) {
    process.stderr.write(`... ${rejectsShown - REJECTS_SHOWN} more rejects${args.rejects === undefined ? ' (--rejects FILE keeps them all)' : ` in ${args.rejects}`}\n`);
  }
  process.stderr.write(`${formatStats(stats)}\n`);

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

/** `--rule` takes ids or globs (`Tailscale.SSH.*`), like `test --filter`; one that matches no rule is an error. */
function selectRules(loaded: LoadedRule[], patterns: readonly string[], dir: string): LoadedRule[] {
  const ids = loaded.map((l) => l.rule.id);
  const missing = unmatchedPatterns(patterns, ids);
  if (missing.length > 0) throw new RuleLoadError(`--rule: no rule in ${dir} matches ${missing.join(', ')}`);
  const wanted = patterns.map(compileGlob);
  return loaded.filter((l) => wanted.some((matches) => matches(l.rule.id)));
}
