// A temp directory per e2e test: a JSON config for `tailwatch run` (HEC in, signed webhook out), a rules
// directory holding the whole pack plus extra rules, and a free TCP port when a restart must keep its address.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const PACK_DIR = join(ROOT, 'rules');
export const ENGINE_INDEX_URL = pathToFileURL(join(ROOT, 'engine/index.ts')).href;
export const HEC_TOKEN = 'e2e-hec-token-0123456789';
export const WEBHOOK_SECRET = 'e2e-webhook-secret';
/** http.token: /metrics and the /readyz details need it. */
export const HTTP_TOKEN = 'e2e-http-token';

export interface Workspace {
  dir: string;
  dataDir: string;
  rulesDir: string;
  configPath: string;
  /** What the child needs in its environment (the HEC token and the webhook secret). */
  env: Record<string, string>;
  remove: () => Promise<void>;
}

export interface WorkspaceOptions {
  webhookUrl: string;
  /** `host:port` for the HEC receiver; default 127.0.0.1:0 (the bound port is in the "listening" log line). */
  listen?: string;
  /** Files of the fixture rules (absolute paths) re-exported next to the pack. */
  extraRules?: readonly string[];
  /** Extra options of the HEC source (limits). */
  hecOptions?: Record<string, unknown>;
}

export async function createWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'tailwatch-e2e-'));
  const rulesDir = join(dir, 'rules');
  const dataDir = join(dir, 'data');
  await writeRulesDir(rulesDir, options.extraRules ?? []);
  const config = {
    dataDir,
    rules: { dir: rulesDir },
    sources: [{ kind: 'hec', listen: options.listen ?? '127.0.0.1:0', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }], ...options.hecOptions }],
    destinations: { soar: { kind: 'webhook', url: options.webhookUrl, secret: { env: 'E2E_WEBHOOK_SECRET' }, timeoutSeconds: 5 } },
    defaultRoute: ['soar'],
    http: { token: { env: 'TAILWATCH_HTTP_TOKEN' } },
    delivery: { retryBaseSeconds: 0.05, retryMaxSeconds: 0.5, pollSeconds: 0.2 },
  };
  const configPath = join(dir, 'alerts.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  return {
    dir,
    dataDir,
    rulesDir,
    configPath,
    env: { TAILWATCH_HEC_TOKEN: HEC_TOKEN, E2E_WEBHOOK_SECRET: WEBHOOK_SECRET, TAILWATCH_HTTP_TOKEN: HTTP_TOKEN },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** One re-export per pack rule (the pack keeps its own imports), plus the extra fixture rules. */
async function writeRulesDir(rulesDir: string, extraRules: readonly string[]): Promise<void> {
  await mkdir(rulesDir, { recursive: true });
  const pack = (await readdir(PACK_DIR)).filter((name) => name.endsWith('.ts')).map((name) => join(PACK_DIR, name));
  for (const file of [...pack, ...extraRules]) {
    await writeFile(join(rulesDir, basename(file)), `export { default } from '${pathToFileURL(file).href}';\n`);
  }
}

/** A port nothing listens on right now (for a process that must come back on the same address). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}
