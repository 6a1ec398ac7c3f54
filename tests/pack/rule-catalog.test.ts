// docs/rules.md is generated from rule metadata; this fails the build when it is stale (CI runs npm test).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { renderRuleCatalog } from '../../engine/pack/rule-catalog.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';

const docs = (...args: string[]) => runCli(['docs', ...args]);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'tailwatch-docs-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('rule catalog', () => {
  it('docs/rules.md is what the rules generate (run `npx tailwatch docs` after changing a rule)', async () => {
    const catalog = renderRuleCatalog(await loadRules('rules'));
    expect(await readFile('docs/rules.md', 'utf8')).toBe(catalog);
  });

  it('lists every rule with its severity, kind, options with defaults, and MITRE mapping', async () => {
    const rules = await loadRules('rules');
    const catalog = renderRuleCatalog(rules);
    for (const { rule } of rules) expect(catalog).toContain(`### ${rule.id}\n`);
    expect(catalog).toContain('| [Tailscale.SSH.Fanout](#tailscalesshfanout) | HIGH | Tailscale.Network | aggregate | TA0008:T1021.004 |');
    expect(catalog).toContain('| `floorBytes` | `10737418240` (10.0 GiB) | Never alert below this many bytes per window. |');
    expect(catalog).toContain('- Kind: aggregate — `distinct` over a 10-minute sliding window, fires at ≥ 10');
  });

  it('`tailwatch docs --check` passes on the repository and fails on a stale or missing file', async () => {
    expect((await docs('--check')).code).toBe(0);
    const stale = join(tmp, 'stale.md');
    await writeFile(stale, '# Rule catalog\n');
    const result = await docs('--check', '--out', stale);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${stale} is stale: run \`npx tailwatch docs\``);
    expect((await docs('--check', '--out', join(tmp, 'missing.md'))).code).toBe(1);
  });

  it('`tailwatch docs --out FILE` writes the catalog', async () => {
    const out = join(tmp, 'out', 'rules.md');
    const result = await docs('--out', out);
    expect(result).toMatchObject({ code: 0, stdout: `wrote ${out}\n` });
    expect(await readFile(out, 'utf8')).toBe(await readFile('docs/rules.md', 'utf8'));
  });
});
