// tailwatch's configuration (loaded by `tailwatch run`, `route`, `alerts`, `send-test`; --config picks another file).
// Secrets are never written here: `{ env: 'NAME' }` names the environment variable that holds one.
// Slack and signed-webhook destinations: see docs/delivery.md.
import { defineConfig } from './engine/index.ts';

export default defineConfig({
  dataDir: './data',
  rules: { dir: './rules', options: {} },
  sources: [
    { kind: 'hec', listen: '127.0.0.1:8088', tokens: [{ env: 'TAILWATCH_HEC_TOKEN' }] },
    { kind: 'file', paths: ['./logs/**/*.{ndjson,json,gz,zst}'] },
  ],
  destinations: {
    console: { kind: 'stdout', format: 'text' },
    archive: { kind: 'file', path: './data/alerts.ndjson' },
  },
  routes: [{ name: 'urgent', match: { minSeverity: 'HIGH' }, to: ['console', 'archive'] }],
  defaultRoute: ['archive'],
});
