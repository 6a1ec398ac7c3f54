// A long-lived reusable/non-ephemeral auth key, or an API access token with every scope, was created.
import { actorLabel, defineRule, keyCapabilities, z } from '../engine/index.ts';
import type { EventOf } from '../engine/index.ts';

type Audit = EventOf<'Tailscale.Audit'>;
const DAY_MS = 86_400_000;
const ALL_SCOPES = 'CONTROL_API_SCOPE_ALL';

const capabilities = (e: Audit): string[] => keyCapabilities(e.event.new);

/** `2026-07-27 12:15:48.688963096 +0000 UTC` (Go's time format) or RFC 3339 → ms; absent → never expires. */
function expiresMs(e: Audit): number {
  const value = typeof e.event.new === 'object' && e.event.new !== null ? (e.event.new as Record<string, unknown>).expires : undefined;
  if (typeof value !== 'string') return Infinity;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*\s*(Z|[+-]\d{2}:?\d{2})?/.exec(value);
  if (m === null) return Infinity;
  const offset = m[4] === undefined || m[4] === 'Z' ? 'Z' : `${m[4].slice(0, 3)}:${m[4].slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${offset}`);
  return Number.isNaN(ms) ? Infinity : ms;
}

const validDays = (e: Audit): number => (expiresMs(e) - Date.parse(e.p_event_time)) / DAY_MS;
const isApiToken = (caps: string[]): boolean => caps.some((c) => c.startsWith('CONTROL_API'));

function risks(e: Audit, maxValidDays: number): string[] {
  const caps = capabilities(e);
  if (isApiToken(caps)) return caps.includes(ALL_SCOPES) ? ['all scopes'] : [];
  if (validDays(e) <= maxValidDays) return [];
  const found: string[] = [];
  if (!caps.includes('ONE_OFF_NODE_AUTH')) found.push('reusable');
  if (!caps.includes('EPHEMERAL')) found.push('non-ephemeral');
  return found;
}

function validity(e: Audit): string {
  const days = validDays(e);
  return days === Infinity ? 'never expires' : `valid ${Math.round(days)} days`;
}

export default defineRule({
  id: 'Tailscale.Auth.Key.Risky.Created',
  displayName: 'Tailscale risky auth key or API token created',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Persistence', 'Credential Access'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1098.001'] },
  options: z.object({
    maxValidDays: z.number().positive().default(90).describe('Auth keys valid for longer than this are risky when reusable or not ephemeral.'),
  }),
  description:
    'An auth key that is reusable or not ephemeral and valid for more than maxValidDays days, or an API access token ' +
    'with all scopes (HIGH), was created. Such keys let anyone who obtains them add nodes or change the tailnet for months.',
  runbook:
    'Ask the actor what the key is for. Prefer one-off or ephemeral, tagged auth keys with short expiry, and OAuth ' +
    'clients with narrow scopes. Revoke the key (Settings › Keys) if nobody owns it.',
  reference: 'https://tailscale.com/kb/1085/auth-keys',
  rule: (e, o) => e.event.target?.type === 'API_KEY' && e.event.action === 'CREATE' && risks(e, o.maxValidDays).length > 0,
  title: (e, o) => {
    const caps = capabilities(e);
    const what = isApiToken(caps) ? `API access token with ${risks(e, o.maxValidDays).join(', ')}` : `${risks(e, o.maxValidDays).join(', ')} auth key`;
    return `Tailscale ${what} ${e.event.target?.id ?? ''} created by ${actorLabel(e.event.actor)} (${validity(e)})`;
  },
  dynamicSeverity: (e) => (capabilities(e).includes(ALL_SCOPES) ? 'HIGH' : 'DEFAULT'),
  alertContext: (e, o) => ({
    actor: e.event.actor,
    origin: e.event.origin,
    target: e.event.target,
    risks: risks(e, o.maxValidDays),
    capabilities: capabilities(e),
    validDays: validDays(e) === Infinity ? null : Math.round(validDays(e)),
    key: e.event.new ?? null,
  }),
  tests: [
    {
      name: 'Reusable auth key valid for a year',
      expected: true,
      title: 'Tailscale reusable, non-ephemeral auth key kLongLived1CNTRL created by alice@example.com (valid 365 days)',
      severity: 'MEDIUM',
      alertContext: { risks: ['reusable', 'non-ephemeral'], validDays: 365 },
      log: {
        eventTime: '2026-07-28T17:00:00.000Z',
        eventGroupID: 'aa1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'kLongLived1CNTRL', name: 'Auth key', type: 'API_KEY' },
        action: 'CREATE',
        new: { expires: '2027-07-28 17:00:00.000000000 +0000 UTC', capabilities: ['PREAUTHORIZED'], authTags: ['tag:server'] },
      },
    },
    {
      name: 'API access token with all scopes (Datadog sample)',
      expected: true,
      title: 'Tailscale API access token with all scopes 789123CNTRL created by alice@example.com (valid 90 days)',
      severity: 'HIGH',
      log: {
        actor: { displayName: 'Alice Architect', loginName: 'alice@example.com', id: '123456CNTRL', type: 'USER' },
        eventGroupID: '23456',
        new: { expires: '2022-10-18 18:40:58.653877012 +0000 UTC', capabilities: ['CONTROL_API_SCOPE_ALL_READ', 'CONTROL_API_SCOPE_ALL'] },
        origin: 'ADMIN_UI',
        eventTime: '2022-07-20T18:40:58.838529518Z',
        action: 'CREATE',
        deferredAt: '0001-01-01T00:00:00Z',
        target: { name: 'Control API key', id: '789123CNTRL', type: 'API_KEY' },
      },
    },
    {
      name: 'One-off ephemeral CI key for five minutes (real S3 export record)',
      expected: false,
      log: {
        logged: '2026-07-27T12:10:49.053320545Z',
        eventTime: '2026-07-27T12:10:48.689105685Z',
        eventGroupID: '496c539b4cbb942448326f849f777608',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'kA925C82D335ACNTRL', name: 'Auth key', type: 'API_KEY' },
        action: 'CREATE',
        new: {
          expires: '2026-07-27 12:15:48.688963096 +0000 UTC',
          capabilities: ['ONE_OFF_NODE_AUTH', 'EPHEMERAL'],
          domainLevel: true,
          authTags: ['tag:ci'],
          description: 'issue-288 capture probe',
        },
      },
    },
    {
      name: 'Reusable key within the allowed validity',
      expected: false,
      options: { maxValidDays: 400 },
      log: {
        eventTime: '2026-07-28T17:00:00.000Z',
        eventGroupID: 'ab1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'kLongLived2CNTRL', name: 'Auth key', type: 'API_KEY' },
        action: 'CREATE',
        new: { expires: '2027-07-28 17:00:00.000000000 +0000 UTC', capabilities: [] },
      },
    },
  ],
});
