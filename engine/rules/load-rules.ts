// Loads every rule module under a directory: validated metadata, the file-name convention, unique ids, options.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, RuleLoadError } from '../errors.ts';
import { enterLoading, leaveCall } from './base/rule-calls.ts';
import { resolveRuleOptions } from './base/rule-options.ts';
import { mayHoldMatchingRule } from './rule-id-glob.ts';
import { ruleFileName } from './rule-file-name.ts';
import { isRuleKind, RULE_KINDS } from './rule-kinds.ts';
import type { AnyKindRule } from './rule-kinds.ts';

/** A rule ready to evaluate (per-event or aggregate): the module's rule, its resolved options and its file. */
export interface LoadedRule {
  rule: AnyKindRule;
  options: Record<string, unknown>;
  file: string;
}

export interface LoadRulesOptions {
  /** Option overrides by rule id (alerts.config.ts `rules.options`). */
  options?: Record<string, Record<string, unknown>>;
  /** Keep only these rule ids (every file is still loaded and checked). */
  only?: string[];
  /** Import only the files that can hold a rule whose id matches one of these globs (`replay --rule`). */
  patterns?: readonly string[];
}

/**
 * Rule files, in a stable order: every `.ts` (a rules directory) or `.js` (the compiled pack in the published package)
 * except tests, specs, declarations and `index` (the pack's entry point for `tailwatch/pack`).
 */
export async function listRuleFiles(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
    throw new RuleLoadError(`cannot read rules directory ${dir}: ${(error as Error).message}`, { cause: error });
  });
  return entries
    .filter((entry) => entry.isFile() && /(?<!\.test|\.spec|\.d)\.[jt]s$/.test(entry.name) && ruleFileBase(entry.name) !== 'index')
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function loadRules(dir: string, opts: LoadRulesOptions = {}): Promise<LoadedRule[]> {
  const { patterns } = opts;
  const listed = await listRuleFiles(dir);
  const files = patterns === undefined ? listed : listed.filter((file) => mayHoldMatchingRule(ruleFileBase(file), patterns));
  const problems: string[] = [];
  const byId = new Map<string, LoadedRule>();
  // One after another, so the watchdog's load budget applies to each module's own top level.
  const results: (LoadedRule | Error)[] = [];
  for (const file of files) results.push(await loadRuleFile(file, displayPath(file)).catch((error: unknown) => error as Error));
  for (const [i, loaded] of results.entries()) {
    if (!('rule' in loaded)) {
      problems.push(loaded instanceof Error ? loaded.message : String(loaded));
      continue;
    }
    const other = byId.get(loaded.rule.id);
    if (other !== undefined) {
      problems.push(`duplicate rule id ${loaded.rule.id} in ${displayPath(other.file)} and ${displayPath(files[i]!)}`);
      continue;
    }
    byId.set(loaded.rule.id, loaded);
  }
  if (problems.length > 0) throw new RuleLoadError(`cannot load rules from ${dir}:\n- ${problems.join('\n- ')}`);

  applyRuleOptions([...byId.values()], opts.options ?? {}, patterns !== undefined);
  if (opts.only === undefined) return [...byId.values()];
  const missing = opts.only.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new RuleLoadError(`no such rule in ${dir}: ${missing.join(', ')}`);
  return opts.only.map((id) => byId.get(id) as LoadedRule);
}

/**
 * Resolves every rule's options with its overrides (alerts.config.ts `rules.options`); an override for a rule that
 * is not loaded is an error unless only some files were imported (`partial`, for `replay --rule`).
 */
export function applyRuleOptions(rules: readonly LoadedRule[], overrides: Record<string, Record<string, unknown>>, partial: boolean): void {
  const ids = new Set(rules.map((loaded) => loaded.rule.id));
  for (const id of Object.keys(overrides)) {
    if (!ids.has(id) && !partial) throw new ConfigError(`options given for unknown rule ${id}`);
  }
  for (const loaded of rules) loaded.options = resolveRuleOptions(loaded.rule, overrides[loaded.rule.id]);
}

/** A rule file's name without its directory and `.ts`/`.js` extension. */
function ruleFileBase(file: string): string {
  return basename(file, extname(file));
}

/** Relative to the working directory when the file is under it. */
function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') ? file : shown;
}

/**
 * A rule module whose top level has not settled by then (an await that never resolves) fails to load. A busy loop
 * at top level cannot be interrupted on this thread: in a watched worker (engine/workers) the load budget stops it.
 */
export const RULE_LOAD_TIMEOUT_MS = 3_000;

/** Imports one file (cache-busted by its mtime so a changed file is re-read) and validates its default export. */
async function loadRuleFile(file: string, shown: string): Promise<LoadedRule> {
  const { mtimeNs } = await stat(file, { bigint: true });
  let module: { default?: unknown };
  enterLoading(shown);
  try {
    module = (await withDeadline(import(`${pathToFileURL(file).href}?v=${mtimeNs}`))) as { default?: unknown };
  } catch (error) {
    throw new RuleLoadError(`${shown}: import failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    leaveCall();
  }
  const exported = module.default;
  const kind = typeof exported === 'object' && exported !== null ? (exported as { kind?: unknown }).kind : undefined;
  if (!isRuleKind(kind)) {
    throw new RuleLoadError(`${shown}: no default-exported rule (expected \`export default defineRule({...})\` or defineAggregateRule)`);
  }
  const checked = RULE_KINDS[kind].shape.safeParse(exported);
  if (!checked.success) throw new RuleLoadError(`${shown}: invalid rule:\n${z.prettifyError(checked.error)}`);
  // The module's own object (not zod's copy): hot reload keeps an unchanged rule's state by identity.
  const rule = exported as AnyKindRule;
  const expected = ruleFileName(rule.id);
  if (ruleFileBase(file) !== expected) {
    throw new RuleLoadError(`${shown}: rule ${rule.id} must be in a file named ${expected}${extname(file)}`);
  }
  return { rule, options: {}, file };
}

function withDeadline<T>(loading: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not finish loading within ${RULE_LOAD_TIMEOUT_MS / 1000} s (a top-level await that never settles?)`)),
      RULE_LOAD_TIMEOUT_MS,
    );
  });
  return Promise.race([loading, deadline]).finally(() => clearTimeout(timer));
}
