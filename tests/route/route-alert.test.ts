import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { routeAlert } from '../../engine/route/route-alert.ts';
import { makeAlert } from '../support/make-alert.ts';

const config = validateConfig(
  {
    destinations: {
      slack: { kind: 'slack', url: { env: 'X' }, minSeverity: 'MEDIUM' },
      soar: { kind: 'webhook', url: 'https://soar.example/hook' },
      console: { kind: 'stdout' },
      archive: { kind: 'file', path: 'a.ndjson' },
    },
    routes: [
      { name: 'urgent', match: { minSeverity: 'HIGH' }, to: ['slack', 'soar'] },
      { match: { ruleIds: ['Tailscale.Policy.*'] }, to: ['archive'], continue: true },
      { match: { tags: ['defense evasion'], logTypes: ['Tailscale.Audit'] }, to: ['slack'] },
      { match: { severity: ['INFO'], type: 'RULE' }, to: [] },
    ],
    defaultRoute: ['console', 'archive'],
  },
  '/tmp',
  'test',
  { checkSecrets: false },
);

describe('routeAlert', () => {
  it('takes the first matching route and explains the decision', () => {
    const decision = routeAlert(makeAlert({ severity: 'CRITICAL' }), config);
    expect(decision.destinations).toEqual(['slack', 'soar']);
    expect(decision.reasons).toEqual(['route #1 "urgent" (severity >= HIGH) matched → slack, soar']);
  });

  it('goes on after a route marked continue, and matches rule ids with wildcards', () => {
    const decision = routeAlert(makeAlert({ severity: 'MEDIUM', ruleId: 'Tailscale.Policy.File.Updated' }), config);
    expect(decision.destinations).toEqual(['archive', 'slack']);
    expect(decision.reasons).toEqual([
      'route #1 "urgent" skipped: severity MEDIUM is below HIGH',
      'route #2 (rule Tailscale.Policy.*) matched → archive',
      'route #3 (log type Tailscale.Audit and tag defense evasion) matched → slack',
    ]);
  });

  it('uses the default route when nothing matches', () => {
    const decision = routeAlert(makeAlert({ severity: 'LOW', tags: [], ruleId: 'Tailscale.Other' }), config);
    expect(decision.destinations).toEqual(['console', 'archive']);
    expect(decision.reasons.at(-1)).toBe('no route matched → defaultRoute: console, archive');
  });

  it('a matched route with no destinations delivers nowhere', () => {
    const decision = routeAlert(makeAlert({ severity: 'INFO', tags: [], ruleId: 'Tailscale.Other' }), config);
    expect(decision.destinations).toEqual([]);
    expect(decision.reasons.at(-1)).toBe('route #4 (type RULE and severity INFO) matched → nowhere');
  });

  it('applies a destination\'s minimum severity whatever routed the alert', () => {
    const decision = routeAlert(makeAlert({ severity: 'LOW', ruleId: 'Tailscale.Other' }), config);
    expect(decision.destinations).toEqual([]);
    expect(decision.reasons).toContain('slack skipped: severity LOW is below its minSeverity MEDIUM');
  });

  it('lets a rule override routing, and [] means nowhere', () => {
    expect(routeAlert(makeAlert({ destinations: ['console'] }), config)).toEqual({
      destinations: ['console'],
      reasons: ['rule Tailscale.Magic.DNS.Disabled chose console (overrides routes)'],
    });
    expect(routeAlert(makeAlert({ destinations: [] }), config).destinations).toEqual([]);
  });

  it('ignores unknown destinations a rule names, and routes normally rather than lose the alert', () => {
    const partly = routeAlert(makeAlert({ destinations: ['pagerduty', 'soar'] }), config);
    expect(partly.destinations).toEqual(['soar']);
    expect(partly.reasons[0]).toContain('unconfigured destination(s) pagerduty');
    const none = routeAlert(makeAlert({ destinations: ['pagerduty'] }), config);
    expect(none.destinations).toEqual(['slack', 'soar']);
    expect(none.reasons[1]).toBe('none of the rule\'s destinations is configured: routing normally');
  });

  it('lists each destination once', () => {
    const routes = { ...config, routes: [{ match: {}, to: ['console', 'console'], continue: true }, { match: {}, to: ['console'], continue: false }] };
    expect(routeAlert(makeAlert(), routes).destinations).toEqual(['console']);
  });
});
