// rules/index.ts (`tailwatch/pack`) exports every shipped rule under the camelCase of its file name, and nothing else.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pack from '../../rules/index.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';

const camelCase = (fileBase: string) => fileBase.replace(/-([a-z0-9])/g, (_match, char: string) => char.toUpperCase());

describe('tailwatch/pack', () => {
  it('exports every rule in rules/ by the camelCase of its file name', async () => {
    const loaded = await loadRules('rules');
    const expected = Object.fromEntries(loaded.map(({ rule, file }) => [camelCase(basename(file, '.ts')), rule.id]));
    const exported = Object.fromEntries(Object.entries(pack).map(([name, rule]) => [name, rule.id]));
    expect(exported).toEqual(expected);
  });
});
