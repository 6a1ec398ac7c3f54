// tailwatch's configuration (loaded by `tailwatch run`, `replay`, `route`, `alerts`, `send-test`; --config picks another
// file). These are the embedded defaults, spelt out. Secrets are never written here: `{ env: 'NAME' }` names the
// environment variable that holds one. Slack and signed-webhook destinations: see docs/delivery.md.
import { defineConfig } from './engine/index.ts';

export default defineConfig({
  dataDir: './data',
  // Per rule id, overrides of its options (docs/rules.md lists them), e.g. a correlation's window:
  // options: { 'Tailscale.Correlation.Admin.Grant.Then.Logging.Off': { withinMinutes: 120 } },
  rules: { dir: './rules', options: {} },
  // Signals (matches of `signal: true` rules, with their events) are kept this long for `tailwatch signals`.
  signals: { retentionDays: 7 },
  sources: [
    // TAILWATCH_HEC_TOKEN unset: `tailwatch run` generates a token and prints it at start.
    { kind: 'hec', listen: '127.0.0.1:8088', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }] },
    { kind: 'file', paths: ['./logs/**/*.{ndjson,json,gz,zst}'] },
    // Tailscale webhooks (all plans) need the endpoint's secret, so they are off by default (docs/running.md):
    // { kind: 'tailscale-webhook', listen: '127.0.0.1:8089', secret: { env: 'TAILSCALE_WEBHOOK_SECRET' } },
    // Tailscale's logging API (audit logs on every plan) needs an OAuth client with logs:configuration:read (docs/running.md):
    // { kind: 'tailscale-api', auth: { kind: 'oauth', clientId: 'k…CNTRL', clientSecret: { env: 'TAILSCALE_OAUTH_SECRET' } } },
  ],
  destinations: {
    console: { kind: 'stdout', format: 'text' },
    archive: { kind: 'file', path: './data/alerts.ndjson' },
  },
  routes: [],
  defaultRoute: ['console', 'archive'],
  // Events up to allowedLatenessMinutes behind the watermark still count in their window; a window's alert is final
  // once the watermark has passed its end by that much (docs/rules.md). A record dated more than maxFutureSkewMinutes
  // ahead of its own logged time (or of its arrival) is quarantined as time_out_of_range (docs/time.md).
  time: { allowedLatenessMinutes: 10, maxFutureSkewMinutes: 5 },
  // Matches to silence until an expiry, by rule and identity, with a reason and an owner (docs/suppressions.md), e.g.
  // { id: 'ci-scanner', rules: ['Tailscale.Port.Scan'], match: { nodeId: 'nScanner1CNTRL' }, reason: 'sanctioned scan', owner: 'secops@example.com', expires: '2026-12-31' }
  suppressions: [],
  // Cluster mode (several nodes on NATS JetStream: standby evaluators, scale-out; docs/cluster.md) is off:
  // cluster: { servers: ['nats://127.0.0.1:4222'], auth: { token: { env: 'NATS_TOKEN' } } },
});
