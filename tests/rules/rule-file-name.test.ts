import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ruleFileName } from '../../engine/rules/rule-file-name.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';

describe('rule file-name convention', () => {
  it('is the kebab-cased id without the leading Tailscale.', () => {
    expect(ruleFileName('Tailscale.Magic.DNS.Disabled')).toBe('magic-dns-disabled');
    expect(ruleFileName('Tailscale.HTTPS.Disabled')).toBe('https-disabled');
    expect(ruleFileName('Tailscale.Machine.Approval.Requirements.Disabled')).toBe('machine-approval-requirements-disabled');
    expect(ruleFileName('Tailscale.NewNode.Added')).toBe('new-node-added');
    expect(ruleFileName('Tailscale.DNSServer.Changed')).toBe('dns-server-changed');
    expect(ruleFileName('Custom.Exit.Node.Used')).toBe('custom-exit-node-used');
  });

  it('holds for every file in rules/ (index.ts, the `tailwatch/pack` entry, aside)', async () => {
    const loaded = await loadRules('rules');
    const files = (await readdir('rules', { recursive: true })).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'index.ts');
    expect(loaded).toHaveLength(files.length);
    for (const { rule, file } of loaded) expect(file.endsWith(`/${ruleFileName(rule.id)}.ts`)).toBe(true);
  });
});
