import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import { runRule } from '../../engine/testing/index.ts';
import { auditRecord } from '../rules/events.ts';

const rule = defineRule({
  id: 'Test.Property.Disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  enabled: false,
  threshold: 2,
  options: z.object({ property: z.string().default('MAGIC_DNS') }),
  rule: (e, o) => e.event.action === 'DISABLE' && e.event.target.property === o.property,
  title: (e) => `${e.event.target.property} disabled`,
});

describe('runRule', () => {
  it('runs the rule (even when disabled) through dedup and threshold, with matches and final alerts', () => {
    const result = runRule(rule, [auditRecord(0), auditRecord(1), auditRecord(2), auditRecord(3, { action: 'ENABLE' })]);
    expect(result.matches).toHaveLength(3);
    expect(result.created).toMatchObject([{ eventCount: 2, title: 'MAGIC_DNS disabled' }]);
    expect(result.alerts).toMatchObject([{ eventCount: 3, title: 'MAGIC_DNS disabled', lastEventTime: '2026-06-03T15:02:00.000Z' }]);
    expect(result.rejected).toEqual([]);
  });

  it('applies option overrides', () => {
    const https = { target: { id: 'example.com', type: 'TAILNET', property: 'HTTPS' } };
    expect(runRule(rule, [auditRecord(0, https), auditRecord(1, https)], { options: { property: 'HTTPS' } }).alerts).toHaveLength(1);
    expect(runRule(rule, [auditRecord(0, https), auditRecord(1, https)]).alerts).toHaveLength(0);
  });

  it('reports logs that do not parse by index and keeps the others', () => {
    const result = runRule(rule, [auditRecord(0), 'not a record', 42, auditRecord(1)]);
    expect(result.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(result.alerts).toHaveLength(1);
  });
});
