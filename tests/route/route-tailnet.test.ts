// A route can match on the alert's tailnet (a managed-service provider sends each customer's alerts their own way).
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { routeAlert } from '../../engine/route/route-alert.ts';
import { makeAlert } from '../support/make-alert.ts';

const config = validateConfig(
  {
    destinations: { acme: { kind: 'webhook', url: 'https://acme.example/hook' }, archive: { kind: 'file', path: 'a.ndjson' } },
    routes: [{ name: 'acme', match: { tailnets: ['acme.*'] }, to: ['acme'] }],
    defaultRoute: ['archive'],
  },
  '/tmp',
  'test',
  { checkSecrets: false },
);

describe('routes by tailnet', () => {
  it('matches the alert tailnet, with wildcards', () => {
    const decision = routeAlert(makeAlert({ tailnet: 'acme.example' }), config);
    expect(decision.destinations).toEqual(['acme']);
    expect(decision.reasons).toEqual(['route #1 "acme" (tailnet acme.*) matched → acme']);
  });

  it('says why another tailnet does not match', () => {
    const decision = routeAlert(makeAlert({ tailnet: 'globex.example' }), config);
    expect(decision.destinations).toEqual(['archive']);
    expect(decision.reasons[0]).toBe('route #1 "acme" skipped: tailnet globex.example not in acme.*');
  });
});
