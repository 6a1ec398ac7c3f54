// Replay inputs in their canonical order: files, directories (read recursively) and `-` for stdin, resolved to
// regular files, de-duplicated and sorted by absolute path, so `replay b a` reads exactly what `replay a b` reads, in
// the same order. Stdin, if named, comes last. An unreadable path is an InputError.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isStdin } from './stdin-path.ts';
import { InputError } from '../errors.ts';

export interface ReplayInput {
  /** Shown in reject positions and errors: the path, or `stdin`. */
  source: string;
  bytes: number | undefined;
  open(): Readable;
}

export async function resolveInputs(paths: readonly string[], stdin: Readable = process.stdin): Promise<ReplayInput[]> {
  const files = new Map<string, number>();
  let readStdin = false;
  for (const path of paths) {
    if (isStdin(path)) readStdin = true;
    else await collect(path, files);
  }
  const inputs: ReplayInput[] = [...files.keys()].sort(byPath).map((file) => ({
    source: shown(file),
    bytes: files.get(file),
    open: () => createReadStream(file, { highWaterMark: 1 << 20 }),
  }));
  if (readStdin) inputs.push({ source: 'stdin', bytes: undefined, open: () => stdin });
  return inputs;
}

/** Relative to the working directory when inside it (as users name their files), else absolute. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Code-unit order of absolute paths: the same on every machine and locale. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function collect(path: string, files: Map<string, number>): Promise<void> {
  const absolute = resolve(path);
  try {
    const info = await stat(absolute);
    if (info.isFile()) {
      files.set(absolute, info.size);
      return;
    }
    if (!info.isDirectory()) throw new InputError(`${path}: not a regular file or directory`);
    // Hidden entries (.DS_Store, a sync tool's temp files) are not logs.
    for (const entry of await readdir(absolute, { withFileTypes: true })) {
      if (!entry.name.startsWith('.') && (entry.isFile() || entry.isDirectory() || entry.isSymbolicLink())) await collect(join(absolute, entry.name), files);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}
