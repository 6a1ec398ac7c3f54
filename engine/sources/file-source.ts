// Watches files, directories and globs (chokidar): tails plain files as they grow, reads compressed ones whole
// once stable, survives rotation and truncation, and resumes from checkpoints without skipping or re-reading.
import { existsSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { z } from 'zod';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { compressedCheckpointKey, readCompressed } from './file-compressed.ts';
import { compilePatterns, isCompressedPath } from './file-patterns.ts';
import { FileTail, fileIdentity, resumePosition, tailCheckpointKey } from './file-tail.ts';
import { NamedTimers } from './named-timers.ts';
import { SerialWork } from './serial-work.ts';
import { SourceName, TailnetName, commonOptions, defined } from './source-config.ts';
import type { Defined, SourceBuildContext } from './source-config.ts';
import type { BatchHandler, Checkpoint, Source, SourceHealth } from './types.ts';

export const FileSourceConfig = z.strictObject({
  kind: z.literal('file'),
  name: SourceName,
  tailnet: TailnetName,
  /** Files, directories or globs; relative ones are resolved against the config file's directory. */
  paths: z.array(z.string().min(1)).min(1),
  /** A compressed file is read once its size and mtime stayed the same this long (default 2). */
  settleSeconds: z.number().positive().optional(),
  /** Poll instead of inotify (network filesystems). */
  usePolling: z.boolean().optional(),
});
export type FileSourceConfig = z.infer<typeof FileSourceConfig>;

export function createFileSource(config: FileSourceConfig, context: SourceBuildContext): FileSource {
  const { kind: _kind, name: _name, tailnet: _tailnet, ...settings } = config;
  return new FileSource({ ...commonOptions(context), ...defined(settings), checkpoints: context.checkpoints });
}

/** The config's settings (relative paths resolved against baseDir), plus what the wiring adds. */
export interface FileSourceOptions extends Defined<Omit<FileSourceConfig, 'kind' | 'name'>> {
  name: string;
  baseDir?: string;
  /** This source's stored checkpoints (CheckpointStore.load(name)). */
  checkpoints?: ReadonlyMap<string, string>;
  decodeLimits?: Partial<DecodeLimits>;
  /** A file renamed to a name we do not watch is read to its end for this long, then let go. Default 5. */
  renameGraceSeconds?: number;
  /** Records per batch when reading a compressed file. Default 1000. */
  batchRecords?: number;
  retryMaxSeconds?: number;
  /** How often a directory that does not exist yet is looked for. Default 5. */
  missingDirPollSeconds?: number;
  logger?: Logger;
}

type WorkItem = `tail:${string}` | `finish:${string}` | `zip:${string}`;

export class FileSource implements Source {
  readonly kind = 'file';
  readonly name: string;
  private readonly options: FileSourceOptions;
  /** Committed checkpoints, kept in step with what the pipeline stored. */
  private readonly saved: Map<string, string>;
  private readonly tails = new Map<string, FileTail>();
  private readonly identityOfPath = new Map<string, string>();
  private readonly timers = new NamedTimers();
  private readonly work: SerialWork<WorkItem>;
  /** Checkpoint keys of the files found by the first scan; the others are forgotten. */
  private readonly seen = new Set<string>();
  private watcher: FSWatcher | undefined;
  private handler: BatchHandler | undefined;
  private events: Promise<void> = Promise.resolve();
  private stopping = false;
  private ready = false;
  private lastError: string | undefined;
  private missingDirs: string[] = [];

  constructor(options: FileSourceOptions) {
    this.options = options;
    this.name = options.name;
    this.saved = new Map(options.checkpoints);
    this.work = new SerialWork<WorkItem>({
      process: (item) => this.process(item),
      onRetry: (item, error, seconds) =>
        options.logger?.warn('file batch not handled; will retry', { item, seconds, error }),
      retryMaxSeconds: options.retryMaxSeconds ?? 30,
      timers: this.timers,
    });
  }

  async start(handler: BatchHandler): Promise<void> {
    this.handler = handler;
    const patterns = compilePatterns(this.options.paths, this.options.baseDir ?? process.cwd());
    const missing = patterns.roots.filter((root) => !existsSync(root));
    const present = patterns.roots.filter((root) => !missing.includes(root));
    const watcher = watch(present, {
      ignored: (path: string, stats?: Stats) => stats?.isFile() === true && !patterns.accepts(path),
      alwaysStat: true,
      usePolling: this.options.usePolling ?? false,
    });
    this.watcher = watcher;
    watcher.on('add', (path: string, stats?: Stats) => this.onEvent(() => this.onAdd(path, stats)));
    watcher.on('change', (path: string, stats?: Stats) => this.onEvent(() => this.onChange(path, stats)));
    watcher.on('unlink', (path: string) => this.onEvent(() => this.onUnlink(path)));
    watcher.on('error', (error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn('file watcher error', { error });
    });
    // chokidar never reports `ready` for an empty path list.
    if (present.length > 0) await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    await this.events;
    this.ready = true;
    await this.forgetVanished();
    if (missing.length > 0) this.awaitDirectories(watcher, missing);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.watcher?.close();
    this.timers.stop();
    await this.events;
    await this.work.stop();
    await Promise.all([...this.tails.values()].map((tail) => tail.close()));
  }

  health(): SourceHealth {
    if (!this.ready) return { ok: false, detail: this.stopping ? 'stopped' : 'scanning' };
    let detail = `tailing ${this.tails.size} files`;
    if (this.missingDirs.length > 0) detail += `; waiting for ${this.missingDirs.join(', ')} to exist`;
    if (this.lastError !== undefined) detail += `; last watcher error: ${this.lastError}`;
    return { ok: true, detail };
  }

  /** chokidar does not notice a watched directory created after the start: look for it until it exists. */
  private awaitDirectories(watcher: FSWatcher, missing: string[]): void {
    this.missingDirs = missing;
    this.options.logger?.warn('watched directories do not exist yet', { directories: missing });
    this.timers.set('missing-dirs', this.options.missingDirPollSeconds ?? 5, () => {
      const appeared = missing.filter((dir) => existsSync(dir));
      if (appeared.length > 0) watcher.add(appeared);
      const still = missing.filter((dir) => !appeared.includes(dir));
      if (still.length > 0) this.awaitDirectories(watcher, still);
      else this.missingDirs = [];
    });
  }

  /** chokidar events are handled one at a time, in order. */
  private onEvent(work: () => Promise<void> | void): void {
    this.events = this.events.then(work).catch((error: unknown) => {
      this.options.logger?.error('file event failed', { error });
    });
  }

  private async onAdd(path: string, given: Stats | undefined): Promise<void> {
    const stats = given ?? (await statOrUndefined(path));
    if (stats === undefined) return;
    if (isCompressedPath(path)) {
      if (!this.ready) this.seen.add(compressedCheckpointKey(path));
      this.settle(path, stats);
      return;
    }
    const identity = fileIdentity(stats);
    if (!this.ready) this.seen.add(tailCheckpointKey(identity));
    const previous = this.identityOfPath.get(path);
    if (previous !== undefined && previous !== identity) this.detach(previous, path);
    this.identityOfPath.set(path, identity);
    const tail = this.tails.get(identity);
    if (tail === undefined) {
      const start = resumePosition(this.saved.get(tailCheckpointKey(identity)), stats);
      this.tails.set(identity, new FileTail(path, stats, start, this.options.decodeLimits));
    } else {
      tail.path = path;
      tail.detached = false;
      this.timers.clear(`finish:${identity}`);
    }
    this.work.schedule(`tail:${identity}`);
  }

  private async onChange(path: string, given: Stats | undefined): Promise<void> {
    const stats = given ?? (await statOrUndefined(path));
    if (stats === undefined) return;
    if (isCompressedPath(path)) return this.settle(path, stats);
    const identity = fileIdentity(stats);
    // chokidar reports a quick unlink + add (rotation) as a change: a new identity means a new file.
    if (this.identityOfPath.get(path) !== identity) return this.onAdd(path, stats);
    this.work.schedule(`tail:${identity}`);
  }

  private onUnlink(path: string): void {
    if (isCompressedPath(path)) {
      this.timers.clear(`zip:${path}`);
      this.work.schedule(`zip:${path}`);
      return;
    }
    const identity = this.identityOfPath.get(path);
    if (identity === undefined) return;
    this.identityOfPath.delete(path);
    this.detach(identity, path);
  }

  private detach(identity: string, path: string): void {
    const tail = this.tails.get(identity);
    if (tail === undefined || tail.path !== path) return;
    tail.detached = true;
    this.work.schedule(`tail:${identity}`);
  }

  /** A compressed file is read once two looks settleSeconds apart see the same size and mtime. */
  private settle(path: string, stats: Stats): void {
    this.timers.set(`zip:${path}`, this.options.settleSeconds ?? 2, () =>
      this.onEvent(async () => {
        const now = await statOrUndefined(path);
        if (now !== undefined && (now.size !== stats.size || now.mtimeMs !== stats.mtimeMs)) this.settle(path, now);
        else this.work.schedule(`zip:${path}`);
      }),
    );
  }

  private async process(item: WorkItem): Promise<void> {
    const colon = item.indexOf(':');
    const kind = item.slice(0, colon);
    const target = item.slice(colon + 1);
    if (kind === 'zip') return this.processCompressed(target);
    const tail = this.tails.get(target);
    if (tail === undefined) return;
    if (kind === 'finish') {
      if (!tail.detached) return;
      await tail.finish(this.deliver);
      this.tails.delete(target);
      return;
    }
    try {
      const result = await tail.readAppended(this.deliver, () => this.stopping);
      if (result === 'truncated') this.options.logger?.info('file truncated; reading it from the start', { path: tail.path });
    } catch (error) {
      tail.rewind();
      throw error;
    }
    if (!tail.detached || this.timers.has(`finish:${target}`)) return;
    // Deleted: nothing more can arrive. Renamed: it may reappear under a watched name, or the writer may add a last line.
    if ((await tail.linkCount()) === 0) this.work.schedule(`finish:${target}`);
    else this.timers.set(`finish:${target}`, this.options.renameGraceSeconds ?? 5, () => this.work.schedule(`finish:${target}`));
  }

  private async processCompressed(path: string): Promise<void> {
    const key = compressedCheckpointKey(path);
    const stats = await statOrUndefined(path);
    if (stats === undefined) {
      if (this.saved.has(key)) await this.deliver([], [{ key, value: null }]);
      return;
    }
    await readCompressed(path, stats, this.saved.get(key), {
      ...(this.options.decodeLimits === undefined ? {} : { limits: this.options.decodeLimits }),
      batchRecords: this.options.batchRecords ?? 1000,
      stopping: () => this.stopping,
      deliver: this.deliver,
    });
  }

  /** Forgets checkpoints of files that no longer exist (rotated away or deleted while we were down). */
  private async forgetVanished(): Promise<void> {
    const gone: Checkpoint[] = [];
    for (const key of this.saved.keys()) if (!this.seen.has(key)) gone.push({ key, value: null });
    this.seen.clear();
    if (gone.length === 0) return;
    try {
      await this.deliver([], gone);
    } catch (error) {
      this.options.logger?.warn('could not forget checkpoints of vanished files', { error });
    }
  }

  private readonly deliver = async (records: readonly DecodeResult[], checkpoints: readonly Checkpoint[]): Promise<void> => {
    const handler = this.handler;
    if (handler === undefined) throw new Error(`file source ${this.name} is not started`);
    await handler({ source: this.name, records, checkpoints, receivedAtMs: Date.now() });
    for (const { key, value } of checkpoints) {
      if (value === null) this.saved.delete(key);
      else this.saved.set(key, value);
    }
  };
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
