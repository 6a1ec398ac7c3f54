// The effective rule set: own rules plus the selected pack rules, overrides and options, each pack rule at most once.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../engine/errors.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import { loadRuleSet } from '../../engine/rules/rule-set.ts';
import { ruleFileName } from '../../engine/rules/rule-file-name.ts';
import { RulesConfig } from '../../engine/config/rules-config.ts';

const ENGINE = pathToFileURL(resolve(import.meta.dirname, '../../engine/index.ts')).href;

let root: string;
let packDir: string;
let ownDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tailwatch-rule-set-'));
  packDir = join(root, 'pack');
  ownDir = join(root, 'own');
  await mkdir(packDir);
  await mkdir(ownDir);
  await writePack({ id: 'Tailscale.SSH.One', tags: ['Lateral Movement'] });
  await writePack({ id: 'Tailscale.SSH.Two' });
  await writePack({ id: 'Tailscale.DNS.Off', tags: ['Defense Evasion'], options: 'z.object({ limit: z.number().default(1) })' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A rule module built with the real defineRule (a `.js` pack file, as the published package holds). */
function ruleModule(fields: { id: string; tags?: string[]; options?: string; replacesPackRule?: boolean }): string {
  return [
    `import { defineRule, z } from '${ENGINE}';`,
    'export default defineRule({',
    `  id: '${fields.id}', logTypes: ['Tailscale.Audit'], severity: 'LOW', rule: () => true, dedupPeriodMinutes: 60,`,
    `  tags: ${JSON.stringify(fields.tags ?? [])},`,
    fields.options === undefined ? '' : `  options: ${fields.options},`,
    fields.replacesPackRule === undefined ? '' : `  replacesPackRule: ${fields.replacesPackRule},`,
    '});',
  ].join('\n');
}

const writePack = (fields: Parameters<typeof ruleModule>[0]) => writeFile(join(packDir, `${ruleFileName(fields.id)}.js`), ruleModule(fields));
const writeOwn = (fields: Parameters<typeof ruleModule>[0]) => writeFile(join(ownDir, `${ruleFileName(fields.id)}.ts`), ruleModule(fields));
const config = (rules: Record<string, unknown>) => RulesConfig.parse({ dir: ownDir, ...rules });
const ids = (loaded: { rule: { id: string } }[]) => loaded.map((l) => l.rule.id).sort();

describe('loadRuleSet', () => {
  it('loads the own rules only when no pack is selected, and pack .js modules beside them when it is', async () => {
    await writeOwn({ id: 'Custom.Own.Rule' });
    expect(ids(await loadRuleSet(config({}), { packDir }))).toEqual(['Custom.Own.Rule']);
    expect(ids(await loadRuleSet(config({ pack: { include: ['*'] } }), { packDir }))).toEqual([
      'Custom.Own.Rule',
      'Tailscale.DNS.Off',
      'Tailscale.SSH.One',
      'Tailscale.SSH.Two',
    ]);
  });

  it('selects pack rules by id, glob and tag, minus exclusions', async () => {
    const select = async (pack: Record<string, unknown>) => ids(await loadRuleSet(config({ pack }), { packDir }));
    expect(await select({ include: ['tailscale.dns.off'] })).toEqual(['Tailscale.DNS.Off']);
    expect(await select({ include: ['Tailscale.SSH.*'] })).toEqual(['Tailscale.SSH.One', 'Tailscale.SSH.Two']);
    expect(await select({ tags: ['Defense Evasion', 'Lateral Movement'] })).toEqual(['Tailscale.DNS.Off', 'Tailscale.SSH.One']);
    expect(await select({ include: ['*'], exclude: ['Tailscale.SSH.T?o'] })).toEqual(['Tailscale.DNS.Off', 'Tailscale.SSH.One']);
  });

  it('loads a rules directory that is the pack once, selection applied', async () => {
    const asPack = (rules: Record<string, unknown>) => RulesConfig.parse({ dir: packDir, ...rules });
    expect(ids(await loadRuleSet(asPack({}), { packDir }))).toHaveLength(3);
    expect(ids(await loadRuleSet(asPack({ pack: { include: ['*'] } }), { packDir }))).toHaveLength(3);
    expect(ids(await loadRuleSet(asPack({ pack: { tags: ['Lateral Movement'] } }), { packDir }))).toEqual(['Tailscale.SSH.One']);
  });

  it('is the repository’s own rules/ (the shipped pack) when rules.dir is ./rules', async () => {
    const pack = await loadRules('rules');
    expect(ids(await loadRuleSet(RulesConfig.parse({ dir: './rules' })))).toEqual(ids(pack));
    expect(ids(await loadRuleSet(RulesConfig.parse({ dir: ownDir, pack: { include: ['*'] } })))).toEqual(ids(pack));
  });

  it('refuses an own rule with a selected pack rule’s id unless it declares that it replaces it', async () => {
    await writeOwn({ id: 'Tailscale.SSH.One' });
    await expect(loadRuleSet(config({ pack: { include: ['Tailscale.SSH.*'] } }), { packDir })).rejects.toThrow(
      /ssh-one\.ts: Tailscale\.SSH\.One is the id of a shipped rule: extend it \(extendRule\), set replacesPackRule: true/,
    );
    // A copy of a pack rule run without selecting it (a fork's rules elsewhere) is just a rule.
    expect(ids(await loadRuleSet(config({ pack: { include: ['Tailscale.DNS.*'] } }), { packDir }))).toEqual(['Tailscale.DNS.Off', 'Tailscale.SSH.One']);
    expect(ids(await loadRuleSet(config({}), { packDir }))).toEqual(['Tailscale.SSH.One']);
  });

  it('runs the own rule in place of the pack rule it replaces', async () => {
    await writeOwn({ id: 'Tailscale.SSH.One', replacesPackRule: true, tags: ['mine'] });
    const loaded = await loadRuleSet(config({ pack: { include: ['*'] } }), { packDir });
    expect(loaded.filter((l) => l.rule.id === 'Tailscale.SSH.One').map((l) => [l.rule.tags, l.file])).toEqual([[['mine'], join(ownDir, 'ssh-one.ts')]]);
  });

  it('refuses replacesPackRule when no pack rule has the id', async () => {
    await writeOwn({ id: 'Custom.Not.Shipped', replacesPackRule: true });
    await expect(loadRuleSet(config({}), { packDir })).rejects.toThrow(/Custom\.Not\.Shipped sets replacesPackRule, but no shipped rule has that id/);
  });

  it('applies overrides and options to pack rules, and refuses those for rules not loaded', async () => {
    const rules = config({
      pack: { include: ['*'] },
      options: { 'Tailscale.DNS.Off': { limit: 5 } },
      overrides: {
        'Tailscale.DNS.Off': { severity: 'CRITICAL', dedupPeriodMinutes: 5, destinations: ['archive'], tags: ['Changed'] },
        'Tailscale.SSH.Two': { enabled: false },
      },
    });
    const loaded = await loadRuleSet(rules, { packDir });
    const dns = loaded.find((l) => l.rule.id === 'Tailscale.DNS.Off');
    expect(dns?.options).toEqual({ limit: 5 });
    expect(dns?.rule).toMatchObject({ severity: 'CRITICAL', dedupPeriodMinutes: 5, destinations: ['archive'], tags: ['Changed'] });
    expect(loaded.find((l) => l.rule.id === 'Tailscale.SSH.Two')?.rule.enabled).toBe(false);
    expect(loaded.find((l) => l.rule.id === 'Tailscale.SSH.One')?.rule.severity).toBe('LOW');

    await expect(loadRuleSet(config({ overrides: { 'Tailscale.DNS.Off': { severity: 'HIGH' } } }), { packDir })).rejects.toThrow(
      /rules\.overrides names Tailscale\.DNS\.Off, which is not a loaded rule/,
    );
    await expect(loadRuleSet(config({ options: { 'Tailscale.DNS.Off': { limit: 2 } } }), { packDir })).rejects.toThrow(ConfigError);
  });

  it('gives an overridden rule the same object on every load of an unchanged module (hot reload keeps its state)', async () => {
    const rules = config({ pack: { include: ['*'] }, overrides: { 'Tailscale.SSH.One': { severity: 'HIGH' } } });
    const [first, second] = [await loadRuleSet(rules, { packDir }), await loadRuleSet(rules, { packDir })];
    const one = (loaded: typeof first) => loaded.find((l) => l.rule.id === 'Tailscale.SSH.One')?.rule;
    expect(one(first)?.severity).toBe('HIGH');
    expect(one(second)).toBe(one(first));
  });
});
