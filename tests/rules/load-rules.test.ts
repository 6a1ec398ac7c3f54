import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, RuleLoadError } from '../../engine/errors.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-rules-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A rule module as plain data (what defineRule returns), so the temp dir needs no imports; undefined omits a field. */
function ruleSource(fields: Record<string, string | undefined>): string {
  const all = { kind: "'rule'", logTypes: "['Tailscale.Audit']", severity: "'LOW'", rule: '() => true', ...fields };
  const entries = Object.entries(all).filter(([, value]) => value !== undefined);
  return `export default { ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} };\n`;
}

async function write(path: string, source: string): Promise<string> {
  const file = join(dir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, source);
  return file;
}

describe('loadRules', () => {
  it('loads every rule file, in subfolders too, and skips tests and specs', async () => {
    await write('first-rule.ts', `type Unused = { typeStripped: true };\n${ruleSource({ id: "'Tailscale.First.Rule'" })}`);
    await write('network/second-rule.ts', ruleSource({ id: "'Tailscale.Second.Rule'", enabled: 'false' }));
    await write('first-rule.test.ts', 'throw new Error("not a rule");\n');
    await write('first-rule.spec.ts', 'throw new Error("not a rule");\n');
    const loaded = await loadRules(dir);
    expect(loaded.map((l) => [l.rule.id, l.file])).toEqual([
      ['Tailscale.First.Rule', join(dir, 'first-rule.ts')],
      ['Tailscale.Second.Rule', join(dir, 'network/second-rule.ts')],
    ]);
    expect(loaded[1]?.rule.enabled).toBe(false);
  });

  it('loads aggregate rules and validates them with their own shape', async () => {
    const aggregate = {
      aggregate: "{ measure: 'count', windowMinutes: 10, atLeast: 3 }",
      contributions: '() => {}',
      title: "() => 'burst'",
    };
    await write('burst-rule.ts', ruleSource({ kind: "'aggregate'", id: "'Tailscale.Burst.Rule'", rule: undefined, ...aggregate }));
    expect((await loadRules(dir)).map((l) => [l.rule.kind, l.rule.id])).toEqual([['aggregate', 'Tailscale.Burst.Rule']]);
    await write('burst-rule.ts', ruleSource({ kind: "'aggregate'", id: "'Tailscale.Burst.Rule'", ...aggregate }));
    await expect(loadRules(dir)).rejects.toThrow(/burst-rule\.ts: invalid rule[\s\S]*rule/);
  });

  it('fails on a file without a default-exported rule, naming the file', async () => {
    await write('helper.ts', 'export const x = 1;\n');
    await expect(loadRules(dir)).rejects.toThrow(/helper\.ts: no default-exported rule/);
  });

  it('fails on a file that does not import, naming the file', async () => {
    await write('broken.ts', 'throw new Error("boom at import");\n');
    await expect(loadRules(dir)).rejects.toThrow(/broken\.ts: import failed: boom at import/);
  });

  it('fails on invalid metadata with the prettified problems', async () => {
    await write('bad.ts', ruleSource({ id: "'bad id'", severity: "'SEVERE'", threshold: '0', logTypes: "['Tailscale.Bogus']", extra: '1' }));
    const error = await loadRules(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleLoadError);
    const message = (error as Error).message;
    expect(message).toMatch(/bad\.ts: invalid rule/);
    for (const path of ['id', 'severity', 'threshold', 'logTypes', 'extra']) expect(message).toContain(path);
  });

  it('fails on an invalid inline test', async () => {
    const tests = "[{ name: 'a', expected: 'yes', log: {} }]";
    await write('tested-rule.ts', ruleSource({ id: "'Tailscale.Tested.Rule'", tests }));
    await expect(loadRules(dir)).rejects.toThrow(/expected boolean[\s\S]*tests\[0\]\.expected/);
  });

  it('fails on duplicate test names', async () => {
    const tests = "[{ name: 'a', expected: true, log: {} }, { name: 'a', expected: false, log: {} }]";
    await write('tested-rule.ts', ruleSource({ id: "'Tailscale.Tested.Rule'", tests }));
    await expect(loadRules(dir)).rejects.toThrow(/duplicate test name "a"[\s\S]*tests\[1\]\.name/);
  });

  it('fails on a duplicate id, naming both files', async () => {
    await write('dup-rule.ts', ruleSource({ id: "'Tailscale.Dup.Rule'" }));
    await write('other/dup-rule.ts', ruleSource({ id: "'Tailscale.Dup.Rule'" }));
    await expect(loadRules(dir)).rejects.toThrow(/duplicate rule id Tailscale\.Dup\.Rule in .*dup-rule\.ts and .*other\/dup-rule\.ts/);
  });

  it('enforces the file-name convention', async () => {
    await write('misnamed.ts', ruleSource({ id: "'Tailscale.Magic.DNS.Disabled'" }));
    await expect(loadRules(dir)).rejects.toThrow(/misnamed\.ts: rule Tailscale\.Magic\.DNS\.Disabled must be in a file named magic-dns-disabled\.ts/);
  });

  it('reports every broken file at once', async () => {
    await write('a.ts', 'export const x = 1;\n');
    await write('b.ts', 'export const y = 1;\n');
    await expect(loadRules(dir)).rejects.toThrow(/a\.ts[\s\S]*b\.ts/);
  });

  it('resolves options with overrides and rejects overrides for unknown rules', async () => {
    await write('opt-rule.ts', `import { z } from 'zod';\n${ruleSource({ id: "'Tailscale.Opt.Rule'", options: 'z.object({ limit: z.number().default(5) })' })}`);
    const [defaults] = await loadRules(dir);
    expect(defaults?.options).toEqual({ limit: 5 });
    const [overridden] = await loadRules(dir, { options: { 'Tailscale.Opt.Rule': { limit: 9 } } });
    expect(overridden?.options).toEqual({ limit: 9 });
    await expect(loadRules(dir, { options: { 'Tailscale.Nope': {} } })).rejects.toThrow(ConfigError);
    await expect(loadRules(dir, { options: { 'Tailscale.Opt.Rule': { limit: 'x' } } })).rejects.toThrow(/Tailscale\.Opt\.Rule[\s\S]*limit/);
  });

  it('keeps only the requested ids, and fails on an unknown one', async () => {
    await write('one-rule.ts', ruleSource({ id: "'Tailscale.One.Rule'" }));
    await write('two-rule.ts', ruleSource({ id: "'Tailscale.Two.Rule'" }));
    expect((await loadRules(dir, { only: ['Tailscale.Two.Rule'] })).map((l) => l.rule.id)).toEqual(['Tailscale.Two.Rule']);
    await expect(loadRules(dir, { only: ['Tailscale.Three.Rule'] })).rejects.toThrow(/no such rule .*Tailscale\.Three\.Rule/);
  });

  it('with patterns, imports only the files that can hold a matching rule', async () => {
    await write('one-rule.ts', ruleSource({ id: "'Tailscale.One.Rule'" }));
    await write('network/two-rule.ts', ruleSource({ id: "'Tailscale.Two.Rule'" }));
    await write('broken-rule.ts', 'throw new Error("must not be imported");\n');
    expect((await loadRules(dir, { patterns: ['tailscale.one.rule'] })).map((l) => l.rule.id)).toEqual(['Tailscale.One.Rule']);
    expect((await loadRules(dir, { patterns: ['*.T?o.*', 'Tailscale.One.Rule'] })).map((l) => l.rule.id).sort()).toEqual(['Tailscale.One.Rule', 'Tailscale.Two.Rule']);
    await expect(loadRules(dir, { patterns: ['Tailscale.*'] })).rejects.toThrow(/broken-rule\.ts: import failed/);
  });

  it('re-imports a file whose modification time changed', async () => {
    const file = await write('hot-rule.ts', ruleSource({ id: "'Tailscale.Hot.Rule'", severity: "'LOW'" }));
    expect((await loadRules(dir))[0]?.rule.severity).toBe('LOW');
    await writeFile(file, ruleSource({ id: "'Tailscale.Hot.Rule'", severity: "'HIGH'" }));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    expect((await loadRules(dir))[0]?.rule.severity).toBe('HIGH');
  });

  it('fails clearly on a missing directory', async () => {
    await expect(loadRules(join(dir, 'missing'))).rejects.toThrow(/cannot read rules directory/);
  });
});
