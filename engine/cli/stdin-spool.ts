// Stdin read once into a temporary file: a replay that starts over (after the watchdog stopped a rule) reads it again.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface StdinSpool {
  path: string;
  remove(): Promise<void>;
}

export async function spoolStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<StdinSpool> {
  const dir = await mkdtemp(join(tmpdir(), 'tailwatch-stdin-'));
  const path = join(dir, 'stdin');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(stdin, createWriteStream(path));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
