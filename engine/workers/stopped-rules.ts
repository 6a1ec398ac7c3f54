// Rules the watchdog stopped in this process: each stays off until its file changes (a reload then runs it again)
// or tailwatch restarts.
import { statSync } from 'node:fs';

export interface StoppedRule {
  ruleId: string;
  budgetMs: number;
  file: string | undefined;
  /** The file's modification time when it was stopped. */
  fileMtimeMs: number | undefined;
}

export class StoppedRules {
  readonly #stopped = new Map<string, StoppedRule>();

  add(ruleId: string, budgetMs: number, file: string | undefined): StoppedRule {
    const stopped: StoppedRule = { ruleId, budgetMs, file, fileMtimeMs: file === undefined ? undefined : mtimeOf(file) };
    this.#stopped.set(ruleId, stopped);
    return stopped;
  }

  /** At a reload: the rules to keep off, those whose file has not changed since they were stopped. */
  unchanged(): string[] {
    return this.list.filter((stopped) => stopped.file !== undefined && mtimeOf(stopped.file) === stopped.fileMtimeMs).map((stopped) => stopped.ruleId);
  }

  /** After a reload applied: the others run again. */
  keepOnly(ids: readonly string[]): void {
    for (const id of this.#stopped.keys()) if (!ids.includes(id)) this.#stopped.delete(id);
  }

  get ids(): string[] {
    return [...this.#stopped.keys()];
  }

  /** In the order they were stopped. */
  get list(): StoppedRule[] {
    return [...this.#stopped.values()];
  }
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
