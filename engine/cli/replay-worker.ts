// The worker thread behind `tailwatch replay`: loads the rules and replays the inputs, posting alerts,
// signals, rejects and progress to the main thread as they happen. Rule code runs only here, under the watchdog.
import { createReadStream } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { RuleLoadError } from '../errors.ts';
import { loadRecordedInventory } from '../inventory/export-file.ts';
import { resolveInputs } from '../pipeline/read-inputs.ts';
import { runReplay } from '../pipeline/replay.ts';
import { compileTailnetMap } from '../pipeline/tailnet-map.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { compileGlob, unmatchedPatterns } from '../rules/rule-id-glob.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { suppressionsWithDataDir } from '../suppressions/suppression-list.ts';
import { runWorkerJob } from '../workers/worker-side.ts';
import type { ReplayJob, ReplayMessage } from './replay-messages.ts';
import { timeRange } from './time-range.ts';

await runWorkerJob<ReplayJob>(async ({ args, config, stopped, stdinFile }, port: MessagePort) => {
  const post = (message: ReplayMessage) => port.postMessage(message);
  const rulesDir = args.rules ?? config.rules.dir;
  const loaded = await loadRuleSet({ ...config.rules, dir: rulesDir }, args.rule === undefined ? {} : { patterns: args.rule });
  const rules = args.rule === undefined ? loaded : selectRules(loaded, args.rule, rulesDir);
  const range = timeRange(args);
  const inputs = await resolveInputs(args.paths, ...(stdinFile === undefined ? [] : [createReadStream(stdinFile)]));
  const tailnetOf = args['tailnet-map'] === undefined ? undefined : compileTailnetMap(args['tailnet-map']);
  const inventory = args.inventory === undefined ? undefined : loadRecordedInventory(args.inventory).tracker;
  post({ type: 'inputs', totalBytes: inputs.every((input) => input.bytes !== undefined) ? inputs.reduce((sum, input) => sum + (input.bytes ?? 0), 0) : undefined });
  const stats = await runReplay({
    inputs,
    rules,
    stopped,
    parse: { ...config.parse, ...(args.tailnet === undefined ? {} : { tailnet: args.tailnet }) },
    allowedLatenessMinutes: config.allowedLatenessMinutes,
    suppressions: suppressionsWithDataDir(config),
    ...(tailnetOf === undefined ? {} : { tailnetOf }),
    ...(inventory === undefined ? {} : { inventory }),
    ...range,
    onAlert: (alert) => post({ type: 'alert', alert }),
    ...(args.signals ? { onSignal: (signal) => post({ type: 'signal', signal }) } : {}),
    onReject: (reject) => post({ type: 'reject', reject }),
    onProgress: (bytesRead) => post({ type: 'progress', bytesRead }),
    onInputError: (error) => post({ type: 'input-error', message: error.message }),
  });
  post({ type: 'done', stats });
});

/** `--rule` takes ids or globs (`Tailscale.SSH.*`), like `test --filter`; one that matches no rule is an error. */
function selectRules(loaded: LoadedRule[], patterns: readonly string[], dir: string): LoadedRule[] {
  const ids = loaded.map((l) => l.rule.id);
  const missing = unmatchedPatterns(patterns, ids);
  if (missing.length > 0) throw new RuleLoadError(`--rule: no rule in ${dir} matches ${missing.join(', ')}`);
  const wanted = patterns.map(compileGlob);
  return loaded.filter((l) => wanted.some((matches) => matches(l.rule.id)));
}
