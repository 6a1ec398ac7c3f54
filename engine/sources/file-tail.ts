// One plain (uncompressed) file being tailed: reads what was appended, keeps a partial last record for later,
// notices truncation, and advances its position only once a batch is durably handled.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { z } from 'zod';
import { createFramer } from '../decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import { parseCheckpoint } from './checkpoints.ts';
import type { Checkpoint } from './types.ts';

type Framer = ReturnType<typeof createFramer>;

export type Deliver = (records: readonly DecodeResult[], checkpoints: readonly Checkpoint[]) => Promise<void>;

/** Where a tailed file was read up to; `birthtimeMs` tells a reused inode from the file we were reading. */
export const TailCheckpoint = z.object({
  path: z.string(),
  offset: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  birthtimeMs: z.number(),
});
export type TailCheckpoint = z.infer<typeof TailCheckpoint>;

const READ_BYTES = 256 * 1024;

export function fileIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

export function tailCheckpointKey(identity: string): string {
  return `inode:${identity}`;
}

/** The position to resume a file from: its checkpoint if it is still the same, unshrunk file, else the start. */
export function resumePosition(saved: string | undefined, stats: Stats): { offset: number; line: number } {
  const checkpoint = parseCheckpoint(TailCheckpoint, saved);
  if (checkpoint === undefined || checkpoint.birthtimeMs !== stats.birthtimeMs || checkpoint.offset > stats.size) {
    return { offset: 0, line: 1 };
  }
  return { offset: checkpoint.offset, line: checkpoint.line };
}

export class FileTail {
  readonly identity: string;
  path: string;
  /** The path was unlinked (deleted or renamed away): read what is left, then forget the file. */
  detached = false;
  private readonly birthtimeMs: number;
  private readonly limits: Partial<DecodeLimits> | undefined;
  private handle: FileHandle | undefined;
  private committed: { offset: number; line: number };
  private readOffset: number;
  private framer: Framer;

  constructor(path: string, stats: Stats, start: { offset: number; line: number }, limits?: Partial<DecodeLimits>) {
    this.identity = fileIdentity(stats);
    this.path = path;
    this.birthtimeMs = stats.birthtimeMs;
    this.limits = limits;
    this.committed = start;
    this.readOffset = start.offset;
    this.framer = this.newFramer();
  }

  get checkpointKey(): string {
    return tailCheckpointKey(this.identity);
  }

  /**
   * Reads everything appended since the last read and delivers it chunk by chunk.
   * Returns `truncated` when the file shrank below our position (it was read again from the start).
   */
  async readAppended(deliver: Deliver, stopping: () => boolean): Promise<'ok' | 'truncated' | 'gone'> {
    const handle = await this.openHandle();
    if (handle === undefined) return 'gone';
    let result: 'ok' | 'truncated' = 'ok';
    if ((await handle.stat()).size < this.readOffset) {
      this.committed = { offset: 0, line: 1 };
      this.rewind();
      result = 'truncated';
    }
    while (!stopping()) {
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, this.readOffset);
      if (bytesRead === 0) break;
      this.readOffset += bytesRead;
      const records = this.framer.push(buffer.subarray(0, bytesRead));
      if (records.length > 0) await this.commit(records, deliver);
    }
    return result;
  }

  /** After the path went away for good: drain, flush a last record without newline, forget the checkpoint. */
  async finish(deliver: Deliver): Promise<void> {
    if (this.handle !== undefined) await this.readAppended(deliver, () => false);
    await deliver(this.framer.end(), [{ key: this.checkpointKey, value: null }]);
    await this.close();
  }

  /** Hard links left (0: deleted; more: renamed somewhere). */
  async linkCount(): Promise<number> {
    return this.handle === undefined ? 0 : (await this.handle.stat()).nlink;
  }

  /** A delivery failed: forget what was read past the last committed position so it is read again. */
  rewind(): void {
    this.readOffset = this.committed.offset;
    this.framer = this.newFramer();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async commit(records: readonly DecodeResult[], deliver: Deliver): Promise<void> {
    const position = { offset: this.framer.consumedOffset, line: this.framer.consumedLine };
    const checkpoint: TailCheckpoint = { path: this.path, ...position, birthtimeMs: this.birthtimeMs };
    await deliver(records, [{ key: this.checkpointKey, value: JSON.stringify(checkpoint) }]);
    this.committed = position;
  }

  /** Opens the path once; the open handle keeps reading the same file after a rename or delete. */
  private async openHandle(): Promise<FileHandle | undefined> {
    if (this.handle !== undefined) return this.handle;
    if (this.detached) return undefined;
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (fileIdentity(await handle.stat()) !== this.identity) {
      await handle.close();
      return undefined;
    }
    this.handle = handle;
    return handle;
  }

  private newFramer(): Framer {
    const { offset, line } = this.committed;
    return createFramer({ source: this.path, startOffset: offset, startLine: line, ...(this.limits === undefined ? {} : { limits: this.limits }) });
  }
}
