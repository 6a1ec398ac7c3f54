// The tailnet policy file (ACLs, grants, SSH rules...) changed; MEDIUM when it opens wide access it did not before.
import { actorLabel, defineRule, isUnlisted, parseHuJson, z } from '../engine/index.ts';
import type { EventOf } from '../engine/index.ts';

type Audit = EventOf<'Tailscale.Audit'>;
type Policy = Record<string, unknown>;
const MAX_LISTED = 50;

function parsePolicy(value: unknown): Policy | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Policy;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = parseHuJson(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Policy) : undefined;
  } catch {
    return undefined;
  }
}

/** `section: entry` lines of a policy: one per array element or object key, comparable across versions. */
function entries(policy: Policy | undefined): Map<string, { section: string; entry: unknown }> {
  const lines = new Map<string, { section: string; entry: unknown }>();
  for (const [section, value] of Object.entries(policy ?? {})) {
    const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.entries(value) : [value];
    for (const entry of items) lines.set(`${section}: ${JSON.stringify(entry)}`, { section, entry });
  }
  return lines;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

interface PolicyChange {
  added: string[];
  removed: string[];
  wideAccessAdded: string[];
  parsed: boolean;
}

function policyChange(e: Audit, wideDestinations: string[]): PolicyChange {
  const oldPolicy = parsePolicy(e.event.old);
  const newPolicy = parsePolicy(e.event.new);
  const parsed = oldPolicy !== undefined && newPolicy !== undefined;
  const before = parsed ? entries(oldPolicy) : new Map(String(e.event.old ?? '').split('\n').map((l) => [l.trim(), { section: '', entry: l }]));
  const after = parsed ? entries(newPolicy) : new Map(String(e.event.new ?? '').split('\n').map((l) => [l.trim(), { section: '', entry: l }]));
  const added = [...after.keys()].filter((line) => line !== '' && !before.has(line));
  const removed = [...before.keys()].filter((line) => line !== '' && !after.has(line));
  const isWide = (d: string) => wideDestinations.some((w) => d === w || d.startsWith(`${w}:`));
  const wideAccessAdded = added.filter((line) => {
    const item = after.get(line);
    if (!parsed) return wideDestinations.some((w) => line.includes(`"${w}`));
    if (item?.section !== 'acls' && item?.section !== 'grants') return false;
    return list((item.entry as Record<string, unknown> | null)?.dst).some(isWide);
  });
  return { added, removed, wideAccessAdded, parsed };
}

export default defineRule({
  id: 'Tailscale.Policy.File.Updated',
  displayName: 'Tailscale policy file updated',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Configuration Change'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.007'] },
  options: z.object({
    wideDestinations: z.array(z.string()).default(['*', 'autogroup:internet']).describe('Destinations that count as wide access when an added ACL or grant names them (also as `host:port`).'),
  }),
  description:
    'The tailnet policy file changed. MEDIUM when an added ACL or grant reaches `*` or autogroup:internet ' +
    '(wide access the old policy did not give), LOW otherwise. The context lists the entries added and removed.',
  runbook:
    'Read the added and removed entries in the alert context. Wide access should come with a change request; if not, ' +
    'revert the policy (admin console › Access controls › history) and ask the actor.',
  reference: 'https://tailscale.com/kb/1018/acls',
  rule: (e) => e.event.action === 'UPDATE' && (isUnlisted(e.event.target?.property, 'ACL') || e.event.target?.type === 'ACL'),
  title: (e, o) => {
    const change = policyChange(e, o.wideDestinations);
    const by = actorLabel(e.event.actor);
    return change.wideAccessAdded.length > 0
      ? `Tailscale policy file updated by ${by}: wide access added (${change.wideAccessAdded[0]})`
      : `Tailscale policy file updated by ${by}: ${change.added.length} entries added, ${change.removed.length} removed`;
  },
  dynamicSeverity: (e, o) => (policyChange(e, o.wideDestinations).wideAccessAdded.length > 0 ? 'MEDIUM' : 'DEFAULT'),
  alertContext: (e, o) => {
    const { added, removed, wideAccessAdded, parsed } = policyChange(e, o.wideDestinations);
    return {
      actor: e.event.actor,
      origin: e.event.origin,
      target: e.event.target,
      parsed,
      wideAccessAdded: wideAccessAdded.slice(0, MAX_LISTED),
      addedCount: added.length,
      removedCount: removed.length,
      added: added.slice(0, MAX_LISTED),
      removed: removed.slice(0, MAX_LISTED),
    };
  },
  tests: [
    {
      name: 'Grant to the internet added (HuJSON with comments and trailing commas)',
      expected: true,
      title: 'Tailscale policy file updated by mallory@example.com: wide access added (grants: {"src":["group:eng"],"dst":["autogroup:internet"],"ip":["*"]})',
      severity: 'MEDIUM',
      alertContext: {
        parsed: true,
        addedCount: 1,
        removedCount: 0,
        removed: [],
        wideAccessAdded: ['grants: {"src":["group:eng"],"dst":["autogroup:internet"],"ip":["*"]}'],
      },
      log: {
        eventTime: '2026-07-28T18:00:00.000Z',
        eventGroupID: 'ba1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
        action: 'UPDATE',
        old: '{\n  // who may reach what\n  "grants": [\n    {"src": ["group:eng"], "dst": ["tag:dev"], "ip": ["22", "443"]},\n  ],\n}',
        new: '{\n  // who may reach what\n  "grants": [\n    {"src": ["group:eng"], "dst": ["tag:dev"], "ip": ["22", "443"]},\n    {"src": ["group:eng"], "dst": ["autogroup:internet"], "ip": ["*"]}, /* exit nodes */\n  ],\n}',
      },
    },
    {
      name: 'Group membership change',
      expected: true,
      title: 'Tailscale policy file updated by alice@example.com: 1 entries added, 1 removed',
      severity: 'LOW',
      alertContext: { added: ['groups: ["group:eng",["alice@example.com","bob@example.com"]]'], removed: ['groups: ["group:eng",["alice@example.com"]]'] },
      log: {
        eventTime: '2026-07-28T18:05:00.000Z',
        eventGroupID: 'bb1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
        action: 'UPDATE',
        old: '{"groups": {"group:eng": ["alice@example.com"]}, "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
        new: '{"groups": {"group:eng": ["alice@example.com", "bob@example.com"]}, "acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}',
      },
    },
    {
      name: 'Policy text that does not parse: compared line by line',
      expected: true,
      title: 'Tailscale policy file updated by alice@example.com: wide access added ({"action": "accept", "src": ["group:eng"], "dst": ["*:*"]},)',
      severity: 'MEDIUM',
      alertContext: { parsed: false, addedCount: 1, removedCount: 0 },
      log: {
        eventTime: '2026-07-28T18:10:00.000Z',
        eventGroupID: 'bc1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
        action: 'UPDATE',
        old: '{"acls": [\n  {"action": "accept", "src": ["group:eng"], "dst": ["tag:dev:22"]},\n',
        new: '{"acls": [\n  {"action": "accept", "src": ["group:eng"], "dst": ["tag:dev:22"]},\n  {"action": "accept", "src": ["group:eng"], "dst": ["*:*"]},\n',
      },
    },
    {
      name: 'Tags of a node changed (not the policy file)',
      expected: false,
      log: {
        eventTime: '2026-06-02T19:00:05.558444283Z',
        type: 'CONFIG',
        eventGroupID: 'egExample0000000000000000000000000001',
        origin: 'NODE',
        actor: { id: 'uExample1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice Example' },
        target: { id: 'nAuditTgt1CNTRL', name: 'service-node.example.ts.net', type: 'NODE', isEphemeral: true, property: 'ACL_TAGS' },
        action: 'UPDATE',
        old: '',
        new: ['tag:grafana-pdc'],
      },
    },
  ],
});
