// A shipped rule extended in code is typed like the base: its event fields, its options, its extension keys; and
// the config's pack selection and per-rule overrides are exact.
import { defineConfig, extendRule } from '../../engine/index.ts';
import { adminRoleGranted, magicDnsDisabled, policyNewActor, sshFanout } from '../../rules/index.ts';

export const excluded = extendRule(magicDnsDisabled, {
  exclude: (e) => e.event.actor.loginName === 'terraform@example.com',
});

export const misspeltField = extendRule(magicDnsDisabled, {
  // @ts-expect-error a misspelt event field in an extension
  exclude: (e) => e.event.actor.loginNmae === 'terraform@example.com',
});

export const wrapped = extendRule(adminRoleGranted, {
  rule: (e, o) => adminRoleGranted.rule(e, o) && !o.trustedActors.includes(e.event.actor.id),
});

export const misspeltOption = extendRule(adminRoleGranted, {
  // @ts-expect-error an option the base rule does not declare
  rule: (e, o) => adminRoleGranted.rule(e, o) && !o.trustedActor.includes(e.event.actor.id),
});

export const misspeltKey = extendRule(magicDnsDisabled, {
  // @ts-expect-error a misspelt extension key
  titel: () => 'x',
});

export const aggregate = extendRule(sshFanout, { title: (c, o) => `${c.group}: ${c.value} of ${o.minDistinctHosts}` });

export const aggregateMisspelt = extendRule(sshFanout, {
  // @ts-expect-error an aggregate crossing has no event field of that name
  dedup: (c) => c.gruop,
});

export const firstSeen = extendRule(policyNewActor, { severity: 'HIGH', tags: ['Change Management'] });

export const packConfig = defineConfig({
  rules: {
    // @ts-expect-error a misspelt pack selection key
    pack: { inclde: ['*'] },
  },
  destinations: {},
  defaultRoute: [],
});

export const overrideConfig = defineConfig({
  rules: {
    pack: { include: ['*'], tags: ['Defense Evasion'], exclude: ['Tailscale.Port.Scan'] },
    overrides: {
      'Tailscale.Policy.File.Updated': { severity: 'LOW', dedupPeriodMinutes: 30, destinations: [], tags: ['x'], enabled: true },
      // @ts-expect-error a misspelt override key
      'Tailscale.SSH.Fanout': { severty: 'LOW' },
    },
  },
  destinations: {},
  defaultRoute: [],
});
