// Opens replay inputs (files, or `-` or /dev/stdin for stdin) as byte streams; an unreadable file is an InputError.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { isStdin } from './stdin-path.ts';
import { InputError } from '../errors.ts';

export interface ReplayInput {
  /** Shown in reject positions and errors: the path, or `stdin`. */
  source: string;
  bytes: number | undefined;
  open(): Readable;
}

export async function resolveInput(path: string, stdin: Readable = process.stdin): Promise<ReplayInput> {
  if (isStdin(path)) return { source: 'stdin', bytes: undefined, open: () => stdin };
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
    return { source: path, bytes: info.size, open: () => createReadStream(path, { highWaterMark: 1 << 20 }) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}
