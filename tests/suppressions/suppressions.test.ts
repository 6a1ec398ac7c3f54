// Suppressions in the evaluator: decided by the match's event time, matched on identities, never dropped silently
// (a suppressed alert of its own, counted per suppression), and an expiry makes nothing fire that was suppressed
// (kibana #253962): suppressed matches never count towards an unsuppressed alert's threshold or event count.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { Config } from '../../engine/config/schema.ts';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import type { AnyRule } from '../../engine/rules/event/event-rule-shape.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';
import { entrySuppression, SuppressionEntries } from '../../engine/suppressions/suppression-entry.ts';
import type { SuppressionEntry } from '../../engine/suppressions/suppression-entry.ts';
import { matchesIdentities } from '../../engine/suppressions/identity-match.ts';
import { auditEvent, parsed, T0_MS } from '../rules/events.ts';

const burst = defineRule({
  id: 'Test.Burst',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  threshold: 3,
  rule: (e) => e.event.action === 'DISABLE',
}) as unknown as AnyRule;
const single = { ...burst, id: 'Test.Single', threshold: 1 } as AnyRule;

const iso = (minute: number) => new Date(T0_MS + minute * 60_000).toISOString();
const entry = (expiresMinute: number, match: SuppressionEntry['match'] = { user: 'alice@example.com' }): SuppressionEntry => ({
  id: 'alice-maintenance',
  rules: ['Test.*'],
  match,
  reason: 'planned maintenance',
  owner: 'secops@example.com',
  expires: iso(expiresMinute),
});
const by = (login: string, minute: number) => auditEvent(minute, { actor: { id: `u-${login}`, type: 'USER', loginName: login }, eventGroupID: `g${login}${minute}` });

function run(rules: AnyRule[], suppressions: SuppressionEntry[], events: TailscaleEvent[]): { created: Alert[]; closed: Alert[]; evaluator: Evaluator } {
  const evaluator = new Evaluator(rules.map((rule) => ({ rule, options: {}, file: '' })));
  evaluator.setSuppressions(suppressions.map(entrySuppression));
  const created: Alert[] = [];
  const closed: Alert[] = [];
  for (const event of events) {
    const changes = evaluator.process(event);
    created.push(...changes.created);
    closed.push(...changes.closed);
  }
  const flushed = evaluator.flush();
  closed.push(...flushed.closed);
  return { created, closed, evaluator };
}

describe('suppressions', () => {
  it('apply by event time: matches before the expiry form a suppressed alert, later ones a normal alert', () => {
    const { created, evaluator } = run([single], [entry(10)], [by('alice@example.com', 1), by('alice@example.com', 5), by('alice@example.com', 12)]);
    expect(created.map((alert) => [alert.suppressed?.id ?? null, alert.firstEventTime])).toEqual([
      ['alice-maintenance', iso(1)],
      [null, iso(12)],
    ]);
    expect(created[0]?.suppressed).toEqual({ id: 'alice-maintenance', reason: 'planned maintenance', owner: 'secops@example.com', expires: iso(10) });
    expect(evaluator.stats().suppressed).toEqual({ 'alice-maintenance': 2 });
    // The suppressed alert has an id of its own: the normal alert is not a revision of it.
    expect(created[0]?.alertId).not.toBe(created[1]?.alertId);
  });

  it('only the matching identities are suppressed', () => {
    const { created } = run([single], [entry(60)], [by('bob@example.com', 1), by('alice@example.com', 2)]);
    expect(created.map((alert) => alert.suppressed?.id ?? null)).toEqual([null, 'alice-maintenance']);
  });

  it('an expiry makes nothing fire: suppressed matches never count towards the threshold of the window after it', () => {
    // Two matches suppressed, the suppression expires, one more in the same dedup window: 1 of 3, no alert.
    const events = [by('alice@example.com', 1), by('alice@example.com', 2), by('alice@example.com', 12)];
    const expired = run([burst], [entry(10)], events);
    expect(expired.created).toEqual([]);
    expect(expired.closed).toEqual([]);
    // Two more after the expiry reach the threshold with only unsuppressed matches counted.
    const more = run([burst], [entry(10)], [...events, by('alice@example.com', 13), by('alice@example.com', 14)]);
    expect(more.created).toHaveLength(1);
    expect(more.created[0]).toMatchObject({ eventCount: 3, firstEventTime: iso(12) });
    expect(more.created[0]?.suppressed).toBeUndefined();
    // The suppressed matches reached no threshold of their own either: nothing at all was created for them.
    expect(more.closed.filter((alert) => alert.suppressed !== undefined)).toEqual([]);
  });

  it('a replay of the same events gives the same result whatever the wall clock (no Date.now in the decision)', () => {
    const events = [by('alice@example.com', 1), by('alice@example.com', 20)];
    const a = run([single], [entry(10)], events).created;
    const b = run([single], [entry(10)], events).created;
    expect(a).toEqual(b);
  });
});

describe('identity matches', () => {
  const flow = parsed({
    nodeId: 'nScanner1CNTRL',
    start: iso(0),
    end: iso(1),
    srcNode: { nodeId: 'nScanner1CNTRL', name: 'scanner', addresses: ['100.64.0.9'], tags: ['tag:scanner'] },
    virtualTraffic: [
      { proto: 6, src: '100.64.0.9:40000', dst: '100.64.0.20:443', txBytes: 10 },
      { proto: 6, src: '100.64.0.9:40001', dst: '[fd7a:115c:a1e0::20]:22', txBytes: 10 },
    ],
  });
  const keyCreated = auditEvent(0, { action: 'CREATE', target: { id: 'kAuthKey1CNTRL', type: 'API_KEY' } });
  const tagged = auditEvent(0, { action: 'UPDATE', target: { id: 'nNode1CNTRL', type: 'NODE', property: 'ACL_TAGS' }, new: ['tag:prod'] });

  it('read the stable identities of each log type', () => {
    expect(matchesIdentities({ nodeId: 'nScanner1CNTRL', tag: 'tag:scanner', dstPort: 22 }, flow)).toBe(true);
    expect(matchesIdentities({ dstIp: 'fd7a:115c:a1e0::20' }, flow)).toBe(true);
    expect(matchesIdentities({ nodeId: 'nScanner1CNTRL', dstPort: 8080 }, flow)).toBe(false);
    expect(matchesIdentities({ authKeyId: 'kAuthKey1CNTRL', user: 'alice@example.com', tailnet: 'default' }, keyCreated)).toBe(true);
    expect(matchesIdentities({ nodeId: 'nNode1CNTRL', tag: 'tag:prod' }, tagged)).toBe(true);
    expect(matchesIdentities({ tailnet: 'other.example' }, keyCreated)).toBe(false);
  });
});

describe('suppressions as code', () => {
  const base = { id: 's', rules: ['Tailscale.*'], match: { nodeId: 'n' }, reason: 'r', owner: 'o' };
  const problems = (value: unknown) => {
    const result = SuppressionEntries.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('need an expiry or `permanent: true`, an identity, unique ids, and no unknown keys', () => {
    expect(problems([{ ...base, expires: '2026-12-31' }, { ...base, id: 't', permanent: true }])).toEqual([]);
    expect(problems([base])).toEqual(['0.expires: give `expires` (a time) or `permanent: true`']);
    expect(problems([{ ...base, expires: 'next tuesday' }])).toEqual(['0.expires: expected a time: RFC 3339 or YYYY-MM-DD (UTC midnight)']);
    expect(problems([{ ...base, match: {}, permanent: true }])).toEqual(['0.match: name at least one identity (nodeId, tag, user, authKeyId, tailnet, dstIp, dstPort)']);
    expect(problems([{ ...base, permanent: true }, { ...base, permanent: true }])).toEqual(['1.id: duplicate suppression id "s"']);
    expect(problems([{ ...base, permanent: true, expire: '2026-01-01' }])[0]).toContain('expire');
  });

  it('are a key of the config', () => {
    const config = Config.parse({ destinations: {}, defaultRoute: [], suppressions: [{ ...base, permanent: true }] });
    expect(config.suppressions).toHaveLength(1);
    expect(Config.parse({ destinations: {}, defaultRoute: [] }).suppressions).toEqual([]);
  });
});
