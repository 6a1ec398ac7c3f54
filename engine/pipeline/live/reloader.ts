// Hot reload: rule files and the config are watched; a change is loaded and validated, then swapped in between
// batches. A broken rule or config keeps the previous version running, and says why (log, metric, /readyz).
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../telemetry/logger.ts';

export interface ReloadTarget {
  /** Loads the config again (the embedded defaults when running without a file). */
  loadConfig: () => Promise<Config>;
  /** Loads the config's rules and swaps both in, whole or not at all (throws, changing nothing); resolves to the rule count. */
  apply: (config: Config) => Promise<number>;
  logger: Logger;
  onFailure: (message: string) => void;
}

/** Changes closer together than this are loaded once. */
const SETTLE_MS = 250;

export class Reloader {
  readonly #target: ReloadTarget;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  /** Why the last reload failed; undefined once a reload succeeds. */
  lastError: string | undefined;

  constructor(target: ReloadTarget) {
    this.#target = target;
  }

  /** Resolves once the watcher has scanned the paths: a change made after that is never taken for an initial file. */
  watch(paths: readonly string[]): Promise<void> {
    this.#watcher = watch([...paths], { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 } });
    this.#watcher.on('all', (_event, path) => {
      if (!/\.(ts|js|mjs|json)$/.test(path)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#running = this.#running.then(async () => {
          await this.reload();
        });
      }, SETTLE_MS);
    });
    const watcher = this.#watcher;
    return new Promise((resolve) => watcher.once('ready', () => resolve()));
  }

  /** Loads config and rules and swaps them in, or keeps what runs and records why not. */
  async reload(): Promise<boolean> {
    try {
      const config = await this.#target.loadConfig();
      const rules = await this.#target.apply(config);
      this.lastError = undefined;
      this.#target.logger.info('rules and config reloaded', { rules });
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.#target.logger.error('reload failed; the previous rules and config keep running', { error: this.lastError });
      this.#target.onFailure(this.lastError);
      return false;
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#watcher?.close();
    await this.#running;
  }
}
