// alerts.config.ts `rules.pack` and `rules.overrides`: strict, and an override's destinations must exist.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/index.ts';

const config = (rules: Record<string, unknown>) => ({ destinations: { console: { kind: 'stdout' } }, defaultRoute: ['console'], rules });

describe('rules.pack and rules.overrides', () => {
  it('take a selection and per-rule overrides, defaults filled in', () => {
    const valid = validateConfig(
      config({ pack: { include: ['Tailscale.SSH.*'] }, overrides: { 'Tailscale.SSH.Fanout': { severity: 'LOW', destinations: ['console'] } } }),
      '/x',
      'inline',
    );
    expect(valid.rules.pack).toEqual({ include: ['Tailscale.SSH.*'], tags: [], exclude: [] });
    expect(valid.rules.overrides).toEqual({ 'Tailscale.SSH.Fanout': { severity: 'LOW', destinations: ['console'] } });
    expect(validateConfig(config({}), '/x', 'inline').rules).toEqual({ dir: '/x/rules', options: {}, overrides: {}, timeBudgetMs: 1_000, loadBudgetMs: 1_000 });
  });

  it('take the watchdog’s budgets, and refuse one too small to run any rule', () => {
    expect(validateConfig(config({ timeBudgetMs: 250, loadBudgetMs: 2_000 }), '/x', 'inline').rules).toMatchObject({ timeBudgetMs: 250, loadBudgetMs: 2_000 });
    expect(() => validateConfig(config({ timeBudgetMs: 1 }), '/x', 'inline')).toThrow(/timeBudgetMs/);
    expect(() => validateConfig(config({ timeBudgetMs: 1.5 }), '/x', 'inline')).toThrow(/timeBudgetMs/);
  });

  it('name a misspelt key, a bad value and an unknown destination', () => {
    const invalid = (rules: Record<string, unknown>) => () => validateConfig(config(rules), '/x', 'inline');
    expect(invalid({ pack: { inclde: ['*'] } })).toThrow(/Unrecognized key: "inclde"[\s\S]*rules\.pack/);
    expect(invalid({ overrides: { 'Tailscale.SSH.Fanout': { severty: 'LOW' } } })).toThrow(/Unrecognized key: "severty"/);
    expect(invalid({ overrides: { 'Tailscale.SSH.Fanout': { dedupPeriodMinutes: 0 } } })).toThrow(/dedupPeriodMinutes/);
    expect(invalid({ overrides: { 'Tailscale.SSH.Fanout': { destinations: ['slack'] } } })).toThrow(
      /unknown destination "slack" \(configured: console\)\n {2}→ at rules\.overrides\["Tailscale\.SSH\.Fanout"\]\.destinations\[0\]/,
    );
  });
});
