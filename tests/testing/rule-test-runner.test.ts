import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import type { RuleTest } from '../../engine/rules/event/event-rule-shape.ts';
import { runRuleTests } from '../../engine/testing/index.ts';
import { auditRecord } from '../rules/events.ts';

const rule = defineRule({
  id: 'Test.Magic.DNS',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  options: z.object({ property: z.string().default('MAGIC_DNS') }),
  rule: (e, o) => e.event.action === 'DISABLE' && e.event.target.property === o.property,
  title: (e) => `${e.event.actor.loginName} disabled Magic DNS`,
  dynamicSeverity: (e) => (e.event.origin === 'CONFIG_API' ? 'UPGRADE' : 'DEFAULT'),
  alertContext: (e) => ({ origin: e.event.origin, actor: { id: e.event.actor.id } }),
});

function results(tests: RuleTest[]) {
  return runRuleTests({ ...rule, tests });
}

describe('runRuleTests', () => {
  it('passes matching expectations on title, dedup, severity and a context subset', () => {
    const [result] = results([
      {
        name: 'disabled via API',
        expected: true,
        log: auditRecord(0, { origin: 'CONFIG_API' }),
        title: 'alice@example.com disabled Magic DNS',
        dedup: 'alice@example.com disabled Magic DNS',
        severity: 'CRITICAL',
        alertContext: { actor: { id: 'uAlice1CNTRL' } },
      },
    ]);
    expect(result).toEqual({ ruleId: 'Test.Magic.DNS', name: 'disabled via API', passed: true, failures: [] });
  });

  it('shows expected vs actual for each failed assertion', () => {
    const [result] = results([
      {
        name: 'wrong expectations',
        expected: true,
        log: auditRecord(0),
        title: 'someone disabled Magic DNS',
        severity: 'LOW',
        alertContext: { origin: 'CONFIG_API', missing: 1 },
      },
    ]);
    expect(result?.passed).toBe(false);
    expect(result?.failures).toEqual([
      'title: expected "someone disabled Magic DNS", actual "alice@example.com disabled Magic DNS"',
      'severity: expected "LOW", actual "HIGH"',
      'alertContext.origin: expected "CONFIG_API", actual "ADMIN_CONSOLE"',
      'alertContext.missing: expected 1, actual undefined',
    ]);
  });

  it('fails on a wrong match result either way', () => {
    const failures = results([
      { name: 'should match', expected: true, log: auditRecord(0, { action: 'ENABLE' }) },
      { name: 'should not match', expected: false, log: auditRecord(0) },
    ]).map((r) => r.failures);
    expect(failures).toEqual([['expected: an alert, actual: no alert'], ['expected: no alert, actual: 1 alert(s) (alice@example.com disabled Magic DNS)']]);
  });

  it('fails with the parse reason when the log does not parse', () => {
    const [result] = results([{ name: 'garbage', expected: false, log: { hello: 'world' } }]);
    expect(result?.passed).toBe(false);
    expect(result?.failures[0]).toMatch(/^log does not parse \(\w+\): /);
  });

  it('fails when the rule throws, naming the function', () => {
    const throwing = { ...rule, alertContext: () => { throw new Error('no context'); }, tests: [{ name: 't', expected: true, log: auditRecord(0) }] };
    expect(runRuleTests(throwing)[0]?.failures).toEqual(['alertContext() threw Error: no context']);
  });

  it('treats a log of another log type as not matching', () => {
    const network = { logged: '2026-06-03T15:00:01Z', nodeId: 'n1', start: '2026-06-03T14:59:55Z', end: '2026-06-03T15:00:00Z' };
    const [negative, positive] = results([
      { name: 'network, negative', expected: false, log: network },
      { name: 'network, positive', expected: true, log: network },
    ]);
    expect(negative?.passed).toBe(true);
    expect(positive?.failures[0]).toMatch(/Tailscale\.Network, not one of the rule's logTypes/);
  });

  it('applies per-test options over the given overrides, and reports invalid ones', () => {
    const https = auditRecord(0, { target: { id: 'example.com', type: 'TAILNET', property: 'HTTPS' } });
    expect(results([{ name: 'https', expected: true, log: https, options: { property: 'HTTPS' } }])[0]?.passed).toBe(true);
    const overridden = runRuleTests({ ...rule, tests: [{ name: 'https', expected: true, log: https }] }, { options: { property: 'HTTPS' } });
    expect(overridden[0]?.passed).toBe(true);
    expect(results([{ name: 'bad', expected: true, log: https, options: { property: 7 } }])[0]?.failures[0]).toMatch(/^options: invalid options for rule Test\.Magic\.DNS/);
  });

  it('runs per-event tests through the Evaluator: a match below the threshold creates no alert', () => {
    const twice = { ...rule, threshold: 2 };
    const [single, pair] = runRuleTests({ ...twice, tests: [
      { name: 'one log', expected: true, log: auditRecord(0) },
      { name: 'one log, no alert', expected: false, log: auditRecord(0) },
    ] });
    expect(single?.failures).toEqual(["expected: an alert, actual: no alert: 1 match(es), below the rule's threshold of 2"]);
    expect(pair?.passed).toBe(true);
  });

  it('runs per-event tests through the Evaluator: a disabled rule is still tested', () => {
    const [result] = runRuleTests({ ...rule, enabled: false, tests: [{ name: 'disabled', expected: true, log: auditRecord(0) }] });
    expect(result?.passed).toBe(true);
  });
});
