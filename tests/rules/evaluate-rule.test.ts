import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import { compileRule } from '../../engine/rules/event/compiled-rule.ts';
import { evaluateRule } from '../../engine/rules/event/evaluate-rule.ts';
import { MAX_ALERT_CONTEXT_CHARS } from '../../engine/rules/base/match-checks.ts';
import { resolveRuleOptions } from '../../engine/rules/base/rule-options.ts';
import type { AnyRule } from '../../engine/rules/event/event-rule-shape.ts';
import { auditEvent, T0_MS } from './events.ts';

const base = { id: 'Test.Rule', logTypes: ['Tailscale.Audit'], severity: 'HIGH', rule: () => true } as const;

function evaluate(rule: AnyRule, event = auditEvent(0)) {
  return evaluateRule(compileRule(rule, resolveRuleOptions(rule)), event, T0_MS);
}

describe('evaluateRule', () => {
  it('returns null when the rule does not match', () => {
    expect(evaluate(defineRule({ ...base, rule: (e) => e.event.action === 'CREATE' }))).toBeNull();
  });

  it('builds the alert fields of a match from the rule', () => {
    const rule = defineRule({
      ...base,
      displayName: 'Test rule',
      tags: ['Tailscale'],
      reports: { 'MITRE ATT&CK': ['TA0005:T1562'] },
      title: (e) => `disabled by ${e.event.actor.loginName}`,
      alertContext: (e) => ({ origin: e.event.origin }),
      description: 'static description',
      runbook: (e) => `ask ${e.event.actor.displayName}`,
      reference: 'https://example.com/kb',
      destinations: ['soar'],
    });
    const match = evaluate(rule);
    expect(match).toMatchObject({ eventTimeMs: T0_MS, dedupPeriodMinutes: 60, threshold: 1 });
    expect(match?.alert).toEqual({
      type: 'RULE',
      ruleId: 'Test.Rule',
      severity: 'HIGH',
      title: 'disabled by alice@example.com',
      dedup: 'disabled by alice@example.com',
      logTypes: ['Tailscale.Audit'],
      alertContext: { origin: 'ADMIN_CONSOLE' },
      tags: ['Tailscale'],
      reports: { 'MITRE ATT&CK': ['TA0005:T1562'] },
      description: 'static description',
      runbook: 'ask Alice',
      reference: 'https://example.com/kb',
      destinations: ['soar'],
    });
  });

  describe('title and dedup fallbacks (Panther)', () => {
    it('title falls back to the display name, then the id; dedup to defaultDedupString:<id>', () => {
      expect(evaluate(defineRule({ ...base, displayName: 'Shown' }))?.alert).toMatchObject({ title: 'Shown', dedup: 'defaultDedupString:Test.Rule' });
      expect(evaluate(defineRule(base))?.alert).toMatchObject({ title: 'Test.Rule', dedup: 'defaultDedupString:Test.Rule' });
    });

    it('dedup falls back to the title, and an empty string counts as absent', () => {
      expect(evaluate(defineRule({ ...base, title: () => 'T', dedup: () => '' }))?.alert.dedup).toBe('T');
      expect(evaluate(defineRule({ ...base, title: () => '', displayName: 'D' }))?.alert).toMatchObject({ title: 'D', dedup: 'defaultDedupString:Test.Rule' });
      expect(evaluate(defineRule({ ...base, title: () => 'T', dedup: () => 'K' }))?.alert).toMatchObject({ title: 'T', dedup: 'K' });
    });

    it('cuts title and dedup at 1000 characters', () => {
      const alert = evaluate(defineRule({ ...base, title: () => 't'.repeat(1500), dedup: () => 'd'.repeat(1001) }))?.alert;
      expect(alert?.title).toBe('t'.repeat(1000));
      expect(alert?.dedup).toBe('d'.repeat(1000));
    });
  });

  describe('severity', () => {
    it('applies dynamicSeverity levels and relative changes', () => {
      const withResult = (result: 'DEFAULT' | 'UPGRADE' | 'DOWNGRADE' | 'LOW') => evaluate(defineRule({ ...base, dynamicSeverity: () => result }))?.alert.severity;
      expect(withResult('DEFAULT')).toBe('HIGH');
      expect(withResult('UPGRADE')).toBe('CRITICAL');
      expect(withResult('DOWNGRADE')).toBe('MEDIUM');
      expect(withResult('LOW')).toBe('LOW');
    });

    it('makes an unknown severity a rule error', () => {
      const rule = { ...defineRule(base), dynamicSeverity: () => 'SEVERE' as never };
      expect(evaluate(rule)?.alert).toMatchObject({ type: 'RULE_ERROR', alertContext: { function: 'dynamicSeverity' } });
    });
  });

  describe('alert context', () => {
    it('is copied as JSON, so the alert holds plain data', () => {
      const context = { when: new Date(T0_MS), skipped: undefined, nested: { list: [1, 2] } };
      expect(evaluate(defineRule({ ...base, alertContext: () => context }))?.alert.alertContext).toEqual({
        when: '2026-06-03T15:00:00.000Z',
        nested: { list: [1, 2] },
      });
    });

    it('past 200 KB is replaced by an _error', () => {
      const alert = evaluate(defineRule({ ...base, alertContext: () => ({ big: 'x'.repeat(MAX_ALERT_CONTEXT_CHARS) }) }))?.alert;
      expect(alert?.type).toBe('RULE');
      expect(alert?.alertContext).toEqual({
        _error: `alert_context size is [${MAX_ALERT_CONTEXT_CHARS + 10}] characters, bigger than maximum of [204800] characters`,
      });
    });

    it('must be a plain object', () => {
      for (const value of [[1], new Map(), null, 'text']) {
        const alert = evaluate({ ...defineRule(base), alertContext: () => value as never })?.alert;
        expect(alert).toMatchObject({ type: 'RULE_ERROR', alertContext: { function: 'alertContext' } });
        expect(alert?.error?.message).toMatch(/alertContext\(\) returned .*, expected a plain object/);
      }
    });
  });

  describe('rule errors', () => {
    const boom = () => {
      throw new RangeError('boom');
    };
    for (const fn of ['include', 'exclude', 'rule', 'title', 'dedup', 'dynamicSeverity', 'alertContext', 'description', 'runbook', 'reference', 'destinations'] as const) {
      it(`turns a throw in ${fn}() into a RULE_ERROR match`, () => {
        const match = evaluate({ ...defineRule(base), [fn]: boom });
        expect(match?.threshold).toBe(1);
        expect(match?.alert).toMatchObject({
          type: 'RULE_ERROR',
          ruleId: 'Test.Rule',
          title: 'Error in rule Test.Rule: boom',
          dedup: 'RangeError:boom',
          alertContext: { function: fn },
          error: { name: 'RangeError', message: 'boom' },
        });
      });
    }

    it('treats a non-boolean from rule() as an error', () => {
      const alert = evaluate({ ...defineRule(base), rule: () => 'yes' as never })?.alert;
      expect(alert).toMatchObject({ type: 'RULE_ERROR', error: { name: 'TypeError', message: 'rule() returned string "yes", expected a boolean' } });
    });

    it('handles thrown non-errors', () => {
      const alert = evaluate({
        ...defineRule(base),
        rule: () => {
          throw 'plain string';
        },
      })?.alert;
      expect(alert).toMatchObject({ type: 'RULE_ERROR', dedup: 'Error:plain string' });
    });
  });

  it('applies include and exclude before rule()', () => {
    const calls: string[] = [];
    const rule = defineRule({
      ...base,
      include: (e) => e.event.origin === 'ADMIN_CONSOLE',
      exclude: (e) => e.event.actor.loginName === 'bot@example.com',
      rule: (e) => (calls.push(e.event.eventGroupID ?? ''), true),
    });
    expect(evaluate(rule, auditEvent(1, { origin: 'CONFIG_API' }))).toBeNull();
    expect(evaluate(rule, auditEvent(2, { actor: { id: 'b', type: 'USER', loginName: 'bot@example.com', displayName: 'Bot' } }))).toBeNull();
    expect(evaluate(rule, auditEvent(3))?.alert.type).toBe('RULE');
    expect(calls).toEqual(['eg3']);
  });

  it('passes the resolved options to every function', () => {
    const rule = defineRule({
      ...base,
      options: z.object({ property: z.string().default('MAGIC_DNS'), prefix: z.string().default('P') }),
      rule: (e, o) => e.event.target.property === o.property,
      title: (_e, o) => `${o.prefix}: ${o.property}`,
    });
    const withOptions = (overrides?: Record<string, unknown>) => evaluateRule(compileRule(rule, resolveRuleOptions(rule, overrides)), auditEvent(0), T0_MS);
    expect(withOptions()?.alert.title).toBe('P: MAGIC_DNS');
    expect(withOptions({ property: 'HTTPS' })).toBeNull();
  });

  it('lets destinations() return DEFAULT to use routing', () => {
    const alert = evaluate(defineRule({ ...base, destinations: () => 'DEFAULT' }))?.alert;
    expect(alert?.type).toBe('RULE');
    expect(alert && 'destinations' in alert).toBe(false);
    expect(evaluate(defineRule({ ...base, destinations: () => [] }))?.alert.destinations).toEqual([]);
  });
});
