// What each worker thread behind `tailwatch replay` does (replay-worker.ts): loads the rules and replays the inputs
// with its share of them (`--workers`), posting alerts, signals, rejects and progress as they happen.
import { createReadStream } from 'node:fs';
import { RuleLoadError } from '../errors.ts';
import { loadRecordedInventory } from '../inventory/export-file.ts';
import { resolveInputs } from '../pipeline/read-inputs.ts';
import { runReplay } from '../pipeline/replay.ts';
import { emptyStats } from '../pipeline/replay-stats.ts';
import { ruleShards } from '../pipeline/rule-shards.ts';
import { compileTailnetMap } from '../pipeline/tailnet-map.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { compileGlob, unmatchedPatterns } from '../rules/rule-id-glob.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { suppressionsWithDataDir } from '../suppressions/suppression-list.ts';
import type { LateRecords, ReplayJob, ReplayMessage } from './replay-messages.ts';
import { timeRange } from './time-range.ts';

/** One worker's replay: its share of the rules over every input, each message posted as it happens. */
export async function replayShard({ args, config, stopped, stdinFile, shard }: ReplayJob, post: (message: ReplayMessage) => void): Promise<void> {
  const rulesDir = args.rules ?? config.rules.dir;
  const loaded = await loadRuleSet({ ...config.rules, dir: rulesDir }, args.rule === undefined ? {} : { patterns: args.rule });
  const all = args.rule === undefined ? loaded : selectRules(loaded, args.rule, rulesDir);
  const rules = shard.count === 1 ? all : ruleShards(all, shard.count)[shard.index]!;
  // The first worker reports the rejects, progress and record counts; a worker with no rules has nothing to do.
  const first = shard.index === 0;
  if (!first && rules.length === 0) {
    post({ type: 'done', stats: emptyStats(), idle: true });
    return;
  }
  const range = timeRange(args);
  const inputs = await resolveInputs(args.paths, ...(stdinFile === undefined ? [] : [createReadStream(stdinFile)]));
  const tailnetOf = args['tailnet-map'] === undefined ? undefined : compileTailnetMap(args['tailnet-map']);
  const inventory = args.inventory === undefined ? undefined : loadRecordedInventory(args.inventory).tracker;
  if (first) post({ type: 'inputs', totalBytes: inputs.every((input) => input.bytes !== undefined) ? inputs.reduce((sum, input) => sum + (input.bytes ?? 0), 0) : undefined });
  const late: LateRecords = {};
  const stats = await runReplay({
    inputs,
    rules,
    stopped,
    // Every worker evaluates the events a replay with every rule would: the same watermarks move at the same records.
    consumedLogTypes: consumedBy(all),
    parse: { ...config.parse, ...(args.tailnet === undefined ? {} : { tailnet: args.tailnet }) },
    allowedLatenessMinutes: config.allowedLatenessMinutes,
    suppressions: suppressionsWithDataDir(config),
    ...(tailnetOf === undefined ? {} : { tailnetOf }),
    ...(inventory === undefined ? {} : { inventory }),
    ...range,
    onAlert: (alert, at) => post({ type: 'alert', alert, at }),
    ...(args.signals ? { onSignal: (signal, at) => post({ type: 'signal', signal, at }) } : {}),
    ...(shard.count === 1 ? {} : { onLateEvent: (at, source) => (late[source] ??= []).push(at) }),
    ...(first ? { onReject: (reject) => post({ type: 'reject', reject }) } : {}),
    onProgress: (bytesRead, recordsRead) => post({ type: 'progress', bytesRead, recordsRead }),
    onInputError: (error) => post({ type: 'input-error', message: error.message }),
  });
  post({ type: 'done', stats, ...(shard.count === 1 ? {} : { late }) });
}

/** The log types the enabled rules read (a stopped rule's too: the replay without it validates what it would have). */
function consumedBy(rules: readonly LoadedRule[]): string[] {
  return [...new Set(rules.flatMap((loaded) => (loaded.rule.enabled === false ? [] : loaded.rule.logTypes)))];
}

/** `--rule` takes ids or globs (`Tailscale.SSH.*`), like `test --filter`; one that matches no rule is an error. */
function selectRules(loaded: LoadedRule[], patterns: readonly string[], dir: string): LoadedRule[] {
  const ids = loaded.map((l) => l.rule.id);
  const missing = unmatchedPatterns(patterns, ids);
  if (missing.length > 0) throw new RuleLoadError(`--rule: no rule in ${dir} matches ${missing.join(', ')}`);
  const wanted = patterns.map(compileGlob);
  return loaded.filter((l) => wanted.some((matches) => matches(l.rule.id)));
}
