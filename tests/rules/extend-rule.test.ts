// extendRule: a shipped rule changed in code (an exclusion added, rule() wrapped, the title changed), run for real.
import { describe, expect, it } from 'vitest';
import { extendRule } from '../../engine/index.ts';
import { runRule } from '../../engine/testing/index.ts';
import { magicDnsDisabled } from '../../rules/index.ts';

const disabled = (loginName: string, origin: string) => ({
  eventTime: '2026-01-05T10:00:00Z',
  origin,
  action: 'DISABLE',
  actor: { id: `u-${loginName}`, type: 'USER', loginName },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
});
const titles = (rule: Parameters<typeof runRule>[0]) =>
  runRule(rule, [disabled('alice@example.com', 'ADMIN_CONSOLE'), disabled('terraform@example.com', 'CONFIG_API')]).alerts.map((a) => a.title);

describe('extendRule', () => {
  it('keeps the base rule’s behaviour and metadata, and declares that it replaces it under the same id', () => {
    const same = extendRule(magicDnsDisabled, {});
    expect(titles(same)).toEqual(titles(magicDnsDisabled));
    expect(titles(same)).toHaveLength(2);
    expect(same).toMatchObject({ id: magicDnsDisabled.id, kind: 'rule', severity: 'HIGH', replacesPackRule: true, tests: magicDnsDisabled.tests });
    expect(magicDnsDisabled.replacesPackRule).toBeUndefined();
  });

  it('adds an exclusion, wraps rule() and changes the title', () => {
    const excluded = extendRule(magicDnsDisabled, { exclude: (e) => e.event.actor.loginName === 'terraform@example.com' });
    expect(titles(excluded)).toEqual(titles(magicDnsDisabled).slice(0, 1));
    const wrapped = extendRule(magicDnsDisabled, { rule: (e, o) => magicDnsDisabled.rule(e, o) && e.event.origin === 'CONFIG_API' });
    expect(titles(wrapped)).toEqual(titles(magicDnsDisabled).slice(1));
    const retitled = extendRule(magicDnsDisabled, { title: (e) => `Magic DNS off (${e.event.actor.loginName})` });
    expect(titles(retitled)).toEqual(['Magic DNS off (alice@example.com)', 'Magic DNS off (terraform@example.com)']);
  });

  it('makes a new rule, not a replacement, under a new id', () => {
    const derived = extendRule(magicDnsDisabled, { id: 'Custom.Magic.DNS.Disabled.By.API', severity: 'CRITICAL' });
    expect(derived).toMatchObject({ id: 'Custom.Magic.DNS.Disabled.By.API', severity: 'CRITICAL', replacesPackRule: false });
  });
});
