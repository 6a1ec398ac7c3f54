// What `tailwatch init` writes into a new detections repository: file path → content. The package.json is the
// one file merged with an existing one (see init-command.ts); every other file is only ever created.
// alerts.config.ts is this repository's own (shipped in the package), importing from 'tailwatch' and with the
// shipped rules selected, so the defaults are spelt out in one place.

export interface InitVersions {
  tailwatch: string;
  typescript: string;
  vitest: string;
}

export const RULE_FILE = 'rules/custom-node-routes-changed.ts';

export function initPackageJson(name: string, versions: InitVersions) {
  return {
    name,
    private: true,
    type: 'module',
    scripts: {
      test: 'tailwatch test && vitest run',
      typecheck: 'tsc --noEmit',
      replay: 'tailwatch replay',
      start: 'tailwatch run',
      docs: 'tailwatch docs',
    },
    devDependencies: { tailwatch: `^${versions.tailwatch}`, typescript: versions.typescript, vitest: versions.vitest },
  };
}

/** The rules section a detections repository starts with, in place of this repository's (where rules/ is the pack). */
const USER_RULES = `  rules: {
    dir: './rules',
    // The shipped detections (\`npx tailwatch docs\` lists the ones you run): by id or glob, or by tag.
    pack: { include: ['*'], exclude: [] },
    // Per rule id: the options the rule declares, e.g.
    // 'Tailscale.High.Virtual.Traffic.Received': { floorBytes: 50 * 2 ** 30 },
    options: {},
    // Per rule id: severity, dedupPeriodMinutes, destinations, tags, enabled, e.g.
    // 'Tailscale.Policy.File.Updated': { severity: 'LOW', destinations: ['archive'] },
    overrides: {},
  },
`;

/** This repository's alerts.config.ts, made a detections repository's. */
export function initConfigFile(ownConfig: string): string {
  const swaps: [string, string][] = [
    ["import { defineConfig } from './engine/index.ts';", "import { defineConfig } from 'tailwatch';"],
    ["  rules: { dir: './rules', options: {} },\n", USER_RULES],
  ];
  return swaps.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`alerts.config.ts no longer has \`${from.trim()}\`: update init-files.ts`);
    return text.replace(from, to);
  }, ownConfig);
}

export const INIT_FILES: Record<string, string> = {
  'tsconfig.json': `${JSON.stringify(
    {
      compilerOptions: {
        target: 'es2024',
        lib: ['es2024'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: [],
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        erasableSyntaxOnly: true,
        verbatimModuleSyntax: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['rules', 'tests', 'alerts.config.ts'],
    },
    null,
    2,
  )}\n`,

  [RULE_FILE]: `// One detection per file; the file name is the kebab-cased id. The event is typed from logTypes: a misspelt field is
// a compile error (npm run typecheck), and the inline tests below run with \`npx tailwatch test\`.
import { defineRule, z } from 'tailwatch';

export default defineRule({
  id: 'Custom.Node.Routes.Changed',
  displayName: 'Subnet or exit-node routes of a node changed',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Custom', 'Network Change'],
  // Tunable per deployment in alerts.config.ts (rules.options), without touching this file.
  options: z.object({ trustedActors: z.array(z.string()).default([]) }),
  description: 'The routes a node may advertise (subnets, exit node) were changed.',
  runbook: 'Check who changed the routes and whether the node should carry that traffic.',
  reference: 'https://tailscale.com/kb/1019/subnets',
  rule: (e, o) => e.event.target.property === 'ALLOWED_IPS' && !o.trustedActors.includes(e.event.actor.loginName ?? ''),
  title: (e) => \`\${e.event.actor.loginName ?? e.event.actor.id} changed the routes of \${e.event.target.name ?? e.event.target.id}\`,
  dedup: (e) => e.event.target.id,
  alertContext: (e) => ({ actor: e.event.actor, target: e.event.target, old: e.event.old, new: e.event.new }),
  tests: [
    {
      name: 'routes changed in the admin console',
      expected: true,
      title: 'bob@example.com changed the routes of router-1',
      severity: 'MEDIUM',
      alertContext: { actor: { loginName: 'bob@example.com' } },
      log: {
        eventTime: '2026-01-05T10:00:00Z',
        origin: 'ADMIN_CONSOLE',
        action: 'UPDATE',
        actor: { id: 'u1', type: 'USER', loginName: 'bob@example.com' },
        target: { id: 'n1', name: 'router-1', type: 'NODE', property: 'ALLOWED_IPS' },
        old: ['10.0.0.0/24'],
        new: ['10.0.0.0/24', '0.0.0.0/0'],
      },
    },
    {
      name: 'a trusted provisioner changed them',
      expected: false,
      options: { trustedActors: ['terraform@example.com'] },
      log: {
        eventTime: '2026-01-05T10:00:00Z',
        action: 'UPDATE',
        actor: { id: 'u2', type: 'USER', loginName: 'terraform@example.com' },
        target: { id: 'n1', name: 'router-1', type: 'NODE', property: 'ALLOWED_IPS' },
      },
    },
    {
      name: 'another property of the node',
      expected: false,
      log: {
        eventTime: '2026-01-05T10:00:00Z',
        action: 'UPDATE',
        actor: { id: 'u1', type: 'USER', loginName: 'bob@example.com' },
        target: { id: 'n1', name: 'router-1', type: 'NODE', property: 'KEY_EXPIRY' },
      },
    },
  ],
});
`,

  'tests/custom-node-routes-changed.test.ts': `// Beyond inline tests: runRule runs a rule through tailwatch's real evaluator (windows, dedup, threshold).
import { describe, expect, it } from 'vitest';
import { runRule } from 'tailwatch/testing';
import rule from '../rules/custom-node-routes-changed.ts';

const change = (time: string) => ({
  eventTime: time,
  action: 'UPDATE',
  actor: { id: 'u1', type: 'USER', loginName: 'bob@example.com' },
  target: { id: 'n1', name: 'router-1', type: 'NODE', property: 'ALLOWED_IPS' },
});

describe(rule.id, () => {
  it('gives one alert per node and hour, counting every change', () => {
    const { alerts } = runRule(rule, [change('2026-01-05T10:00:00Z'), change('2026-01-05T10:20:00Z'), change('2026-01-05T11:05:00Z')]);
    expect(alerts.map((a) => [a.windowStart, a.eventCount])).toEqual([
      ['2026-01-05T10:00:00.000Z', 2],
      ['2026-01-05T11:00:00.000Z', 1],
    ]);
  });
});
`,

  '.github/workflows/detections.yml': `# Type-checks the rules and runs their tests on every push and pull request.
name: detections
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 24
          cache: npm
      - run: npm ci
      - run: npm run typecheck
      - run: npm test
`,

  '.gitignore': 'node_modules/\ndata/\nlogs/\n',

  'README.md': `# Tailscale detections

Detection-as-code for Tailscale logs with [tailwatch](https://www.npmjs.com/package/tailwatch): our own rules in
\`rules/\`, tailwatch's shipped detections beside them, tuned in \`alerts.config.ts\`. Needs Node.js 24 (or 22.18+).

\`\`\`sh
npm install
npm run typecheck              # a misspelt event field or option is a compile error
npm test                       # every rule's inline tests (tailwatch test), then the vitest tests in tests/
npm run replay -- logs/        # backtest the rules on stored logs (NDJSON, JSON, HEC bodies; gzip/zstd)
npm start                      # the evaluator: receive Tailscale's log stream, alert to the destinations
npm run docs                   # docs/rules.md: the catalog of every rule we run
\`\`\`

## Our rules

One detection per file in \`rules/\`, named after its id (\`Custom.Node.Routes.Changed\` →
\`rules/custom-node-routes-changed.ts\`), importing only from \`tailwatch\`. See tailwatch's README, "Writing a rule".

## The shipped detections

\`rules.pack\` in \`alerts.config.ts\` selects them (\`include\`: ids or globs, \`['*']\` for all; \`tags\`; \`exclude\`);
\`rules.options\` and \`rules.overrides\` tune them per id without touching their code. To change one in code, extend
it under its own id in \`rules/\` (the file name follows the id):

\`\`\`ts
// rules/magic-dns-disabled.ts
import { extendRule } from 'tailwatch';
import { magicDnsDisabled } from 'tailwatch/pack';

export default extendRule(magicDnsDisabled, {
  exclude: (e) => e.event.actor.loginName === 'terraform@example.com',
});
\`\`\`

Upgrading tailwatch (\`npm install -D tailwatch@latest\`) brings engine fixes and new detections; its CHANGELOG says
what changed.
`,
};
