// engine/cli/ sits on top: command bodies live there, and nothing below imports back up into it.
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE, engineFiles, engineImports } from '../support/engine-imports.ts';

const cli = join(ENGINE, 'cli');

describe('engine/cli layering', () => {
  it('no file outside engine/cli imports from it', async () => {
    const upward = (await engineImports())
      .filter(([from, to]) => !from.startsWith(`${cli}/`) && to.startsWith(`${cli}/`))
      .map(([from, to]) => `${relative(ENGINE, from)} → ${relative(ENGINE, to)}`);
    expect(upward).toEqual([]);
  });

  it('every command body lives in engine/cli (no *-command.ts elsewhere)', async () => {
    const outside = (await engineFiles()).filter((f) => !f.startsWith(`${cli}/`) && /-command\.ts$/.test(f));
    expect(outside.map((f) => relative(ENGINE, f))).toEqual([]);
  });
});
