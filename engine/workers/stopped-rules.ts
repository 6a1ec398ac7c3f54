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

  /** Before a reload: the rules whose file changed since they were stopped run again. */
  forgetChanged(): void {
    for (const [id, stopped] of this.#stopped) if (stopped.file === undefined || mtimeOf(stopped.file) !== stopped.fileMtimeMs) this.#stopped.delete(id);
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
