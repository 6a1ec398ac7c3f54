// Many failed configuration requests by one actor in a short time: probing with a stolen or under-scoped credential.
import { actorLabel, defineAggregateRule, z } from '../engine/index.ts';

const failedRequest = (i: number, minute: number, target = 'ACL') => ({
  eventTime: `2026-07-29T08:${String(minute).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`,
  eventGroupID: `fa11ed${String(i).padStart(26, '0')}`,
  origin: 'CONFIG_API',
  actor: { id: 'kStolen1CNTRL', type: 'API_KEY', loginName: '', displayName: 'API key' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: target },
  action: 'FAILED_REQUEST',
  error: 'permission denied',
});

export default defineAggregateRule({
  id: 'Tailscale.Failed.Requests.Burst',
  displayName: 'Tailscale burst of failed configuration requests',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Discovery', 'Credential Access'],
  reports: { 'MITRE ATT&CK': ['TA0007:T1526', 'TA0006:T1110'] },
  options: z.object({
    minFailedRequests: z.int().min(1).default(10).describe('Failed requests by one actor within the window that fire.'),
    windowMinutes: z.int().min(1).max(1440).default(10).describe('Length of the sliding window, in minutes.'),
  }),
  description:
    'One actor made at least minFailedRequests failed requests (FAILED_REQUEST audit events) within windowMinutes. ' +
    'Usually a script with the wrong scopes; sometimes a stolen key being tried against every endpoint.',
  runbook:
    'Identify the actor (user, OAuth client or API key) and what it tried (top contributors). If it is not a known ' +
    'integration being misconfigured, revoke the credential and check where it was used from.',
  reference: 'https://tailscale.com/kb/1203/audit-logging',
  aggregate: (o) => ({ measure: 'count', windowMinutes: o.windowMinutes, atLeast: o.minFailedRequests }),
  contributions: (e, _o, emit) => {
    if (e.event.action !== 'FAILED_REQUEST') return;
    const target = e.event.target;
    emit(e.event.actor?.id ?? 'unknown', 1, `${target?.type ?? '?'} ${target?.property ?? target?.name ?? ''}`.trim());
  },
  title: (c) => `Tailscale: ${c.value} failed requests by ${actorLabel(c.event.event.actor)} within ${c.windowMinutes} minutes`,
  alertContext: (c) => ({ actor: c.event.event.actor, origin: c.event.event.origin, lastError: c.event.event.error ?? null }),
  tests: [
    {
      name: 'Ten failed requests in four minutes',
      expected: true,
      alerts: 1,
      title: 'Tailscale: 10 failed requests by API key (API_KEY kStolen1CNTRL) within 10 minutes',
      dedup: 'kStolen1CNTRL',
      severity: 'MEDIUM',
      alertContext: { value: 10, threshold: 10, topContributors: [{ contributor: 'TAILNET ACL', amount: 6 }, { contributor: 'TAILNET DNS', amount: 4 }] },
      logs: Array.from({ length: 10 }, (_, i) => failedRequest(i, i % 4, i % 5 < 2 ? 'DNS' : 'ACL')),
    },
    {
      name: 'Nine failures, and failures spread over an hour',
      expected: false,
      logs: [...Array.from({ length: 9 }, (_, i) => failedRequest(i, 0)), ...Array.from({ length: 6 }, (_, i) => failedRequest(i, 15 + i * 8))],
    },
  ],
});
