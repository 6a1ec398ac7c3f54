// engine/cli/ sits on top: command bodies live there, and nothing below imports back up into it.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const engine = resolve(import.meta.dirname, '../../engine');
const cli = join(engine, 'cli');

async function engineFiles(): Promise<string[]> {
  const entries = await readdir(engine, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Relative specifiers of static imports, `export … from` and dynamic `import('…')`. */
function importedPaths(source: string): string[] {
  const found = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)];
  return found.map((m) => m[1] ?? '');
}

describe('engine/cli layering', () => {
  it('no file outside engine/cli imports from it', async () => {
    const upward: string[] = [];
    for (const file of await engineFiles()) {
      if (file.startsWith(`${cli}/`)) continue;
      for (const spec of importedPaths(await readFile(file, 'utf8'))) {
        if (resolve(dirname(file), spec).startsWith(`${cli}/`)) upward.push(`${relative(engine, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('every command body lives in engine/cli (no *-command.ts elsewhere)', async () => {
    const outside = (await engineFiles()).filter((f) => !f.startsWith(`${cli}/`) && /-command\.ts$/.test(f));
    expect(outside.map((f) => relative(engine, f))).toEqual([]);
  });
});
