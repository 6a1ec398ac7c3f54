// How every kind indexes its compiled rules: by log type for the hot path, and, for kinds with state (windows, seen
// values), recompiled on hot reload only when changed, so an unchanged rule keeps its state.

/** Enabled rules by each log type they read, in load order. */
export function indexByLogType<R extends { enabled: boolean; logTypes: readonly string[] }>(rules: Iterable<R>): Map<string, R[]> {
  const byLogType = new Map<string, R[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const logType of rule.logTypes) {
      const list = byLogType.get(logType);
      if (list === undefined) byLogType.set(logType, [rule]);
      else list.push(rule);
    }
  }
  return byLogType;
}

interface Loaded {
  rule: { id: string };
  options: Record<string, unknown>;
}

export interface Compiled<L extends Loaded, C> {
  loaded: L;
  compiled: C;
}

/**
 * The rules compiled by id: a rule whose module object (a changed file is imported afresh) and options are the ones
 * it was compiled from keeps its compiled form and state; any other is compiled anew (which may throw).
 */
export function recompile<L extends Loaded, C>(previous: ReadonlyMap<string, Compiled<L, C>>, rules: readonly L[], compile: (loaded: L) => C): Map<string, Compiled<L, C>> {
  const compiled = new Map<string, Compiled<L, C>>();
  for (const loaded of rules) {
    const before = previous.get(loaded.rule.id);
    const unchanged = before !== undefined && before.loaded.rule === loaded.rule && JSON.stringify(before.loaded.options) === JSON.stringify(loaded.options);
    compiled.set(loaded.rule.id, unchanged ? before : { loaded, compiled: compile(loaded) });
  }
  return compiled;
}
