// One rule model: engine/rules/base/ is the shared base, each kind a folder beside it, the registry, loader and
// evaluator above them; the aggregation machinery (engine/aggregate/) sits below the aggregate kind.
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE, engineImports } from '../support/engine-imports.ts';

const RULES = join(ENGINE, 'rules');
const KINDS = ['event', 'aggregate', 'first-seen'].map((kind) => join(RULES, kind));
const BASE = join(RULES, 'base');

const inside = (file: string, dir: string) => file.startsWith(`${dir}/`);
const show = ([from, to]: [string, string]) => `${relative(ENGINE, from)} → ${relative(ENGINE, to)}`;

describe('engine/rules layering', () => {
  it('the aggregation machinery never imports a rule kind (or anything else in engine/rules)', async () => {
    const upward = (await engineImports()).filter(([from, to]) => inside(from, join(ENGINE, 'aggregate')) && inside(to, RULES));
    expect(upward.map(show)).toEqual([]);
  });

  it('the base imports no kind and nothing above it; a kind imports only the base, never another kind or the folder above', async () => {
    const wrong = (await engineImports()).filter(([from, to]) => {
      if (inside(from, BASE)) return inside(to, RULES) && !inside(to, BASE);
      const kind = KINDS.find((dir) => inside(from, dir));
      return kind !== undefined && inside(to, RULES) && !inside(to, BASE) && dirname(to) !== kind && !inside(to, kind);
    });
    expect(wrong.map(show)).toEqual([]);
  });
});
