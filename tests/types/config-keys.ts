// alerts.config.ts through defineConfig: a misspelt key is a type error at every level, as it is a run-time error.
import { defineConfig } from '../../engine/index.ts';

const destinations = { console: { kind: 'stdout' as const } };

export const valid = defineConfig({
  dataDir: './data',
  sources: [
    { kind: 'hec', listen: '127.0.0.1:8088', tokens: [{ env: 'TOKEN' }] },
    { kind: 'file', paths: ['./logs'] },
    { kind: 's3', bucket: 'logs', pollSeconds: 30 },
    { kind: 'stdin' },
    { kind: 'tailscale-webhook', tailnet: 'acme.com', secret: { env: 'TAILSCALE_WEBHOOK_SECRET' } },
    { kind: 'tailscale-api', tailnet: 'acme.com', logs: ['configuration', 'network'], since: '2026-08-01T00:00:00Z', auth: { kind: 'token', token: { env: 'TAILSCALE_API_TOKEN' } } },
    { kind: 'tailscale-api', name: 'api-oauth', auth: { kind: 'oauth', clientId: 'k123CNTRL', clientSecret: { env: 'TS_OAUTH_SECRET' }, scopes: ['logs:configuration:read'] } },
  ],
  destinations: {
    slack: { kind: 'slack', url: { env: 'SLACK_WEBHOOK_URL' } },
    hook: { kind: 'webhook', url: 'https://example.com/hook', secret: { env: 'HOOK_SECRET' } },
    console: { kind: 'stdout', format: 'text' },
    archive: { kind: 'file', path: './alerts.ndjson' },
  },
  routes: [{ match: { minSeverity: 'HIGH' }, to: ['slack'], continue: true }],
  defaultRoute: ['console'],
  console: { listen: '127.0.0.1:8090', password: { env: 'TAILWATCH_CONSOLE_PASSWORD' }, sessionHours: 8 },
});

// @ts-expect-error slack destination
export const slack = defineConfig({ destinations: { s: { kind: 'slack', url: { env: 'U' }, timeoutSecond: 5 } }, defaultRoute: [] });
// @ts-expect-error webhook destination
export const webhook = defineConfig({ destinations: { w: { kind: 'webhook', url: 'https://example.com', secert: { env: 'S' } } }, defaultRoute: [] });
// @ts-expect-error stdout destination
export const stdout = defineConfig({ destinations: { o: { kind: 'stdout', fromat: 'text' } }, defaultRoute: [] });
// @ts-expect-error file destination
export const file = defineConfig({ destinations: { f: { kind: 'file', path: './a.ndjson', minSeverty: 'HIGH' } }, defaultRoute: [] });

// @ts-expect-error hec source
export const hec = defineConfig({ sources: [{ kind: 'hec', tokens: [{ env: 'T' }], listn: '127.0.0.1:8088' }], destinations, defaultRoute: [] });
// @ts-expect-error file source
export const fileSource = defineConfig({ sources: [{ kind: 'file', paths: ['./logs'], setleSeconds: 2 }], destinations, defaultRoute: [] });
// @ts-expect-error s3 source
export const s3 = defineConfig({ sources: [{ kind: 's3', bucket: 'logs', pollSecond: 30 }], destinations, defaultRoute: [] });
// @ts-expect-error tailscale-webhook source
export const tailscaleWebhook = defineConfig({ sources: [{ kind: 'tailscale-webhook', secret: { env: 'S' }, tolerance: 60 }], destinations, defaultRoute: [] });
// @ts-expect-error tailscale-api source
export const tailscaleApi = defineConfig({ sources: [{ kind: 'tailscale-api', auth: { kind: 'token', token: { env: 'T' } }, pollSecond: 30 }], destinations, defaultRoute: [] });
// @ts-expect-error tailscale-api source auth
export const tailscaleApiAuth = defineConfig({ sources: [{ kind: 'tailscale-api', auth: { kind: 'oauth', clientId: 'k', clientSecrte: { env: 'S' } } }], destinations, defaultRoute: [] });
// @ts-expect-error stdin source
export const stdin = defineConfig({ sources: [{ kind: 'stdin', nmae: 'pipe' }], destinations, defaultRoute: [] });

// @ts-expect-error a route
export const route = defineConfig({ destinations, routes: [{ to: ['console'], contnue: true }], defaultRoute: [] });
// @ts-expect-error the top level
export const topLevel = defineConfig({ destinations, defaultRoute: [], dataDri: './data' });
// @ts-expect-error the web console
export const webConsole = defineConfig({ destinations, defaultRoute: [], console: { lisen: '127.0.0.1:8090' } });

// These nested objects were already checked by the generic defineConfig; kept so they stay checked.
// @ts-expect-error a secret reference
export const secretRef = defineConfig({ destinations: { s: { kind: 'slack', url: { evn: 'U' } } }, defaultRoute: [] });
// @ts-expect-error a route matcher
export const match = defineConfig({ destinations, routes: [{ match: { severty: 'HIGH' }, to: ['console'] }], defaultRoute: [] });
// @ts-expect-error the delivery policy
export const delivery = defineConfig({ destinations, defaultRoute: [], delivery: { maxAttempt: 3 } });
// @ts-expect-error rules
export const rules = defineConfig({ destinations, defaultRoute: [], rules: { directory: './rules' } });

const suppression = { id: 'ci-scanner', rules: ['Tailscale.Port.Scan'], reason: 'sanctioned scanner', owner: 'secops@example.com' };
export const suppressions = defineConfig({
  destinations,
  defaultRoute: [],
  suppressions: [
    { ...suppression, match: { nodeId: 'nScanner1CNTRL' }, expires: '2026-12-31' },
    { ...suppression, id: 'backup', rules: ['Tailscale.*.High.Egress*'], match: { tag: 'tag:backup', dstPort: 443 }, permanent: true },
  ],
});
// @ts-expect-error a suppression entry
export const suppressionKey = defineConfig({ destinations, defaultRoute: [], suppressions: [{ ...suppression, match: { nodeId: 'n' }, expire: '2026-12-31' }] });
// @ts-expect-error a suppression's identity match
export const suppressionMatch = defineConfig({ destinations, defaultRoute: [], suppressions: [{ ...suppression, match: { nodeID: 'n' }, permanent: true }] });

export const cluster = defineConfig({
  destinations,
  defaultRoute: [],
  cluster: { servers: ['tls://nats-1:4222'], roles: ['evaluate', 'deliver'], auth: { token: { env: 'NATS_TOKEN' } }, tls: { caFile: './ca.pem' }, replicas: 3 },
});
// @ts-expect-error the cluster key
export const clusterKey = defineConfig({ destinations, defaultRoute: [], cluster: { servers: ['nats://x:4222'], leaseTTL: 5 } });
