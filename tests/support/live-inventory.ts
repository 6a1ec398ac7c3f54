// A live pipeline whose evaluator keeps a tailnet inventory in a data directory, polled from the Tailscale API
// stand-in: how replay-equals-live tests evaluate a planted stream live before exporting the inventory for replay.
import type { Alert } from '../../engine/alerts/alert.ts';
import type { Database } from '../../engine/state/database.ts';
import { InventoryPoller } from '../../engine/inventory/poller.ts';
import { openInventoryReader } from '../../engine/inventory/reader.ts';
import { InventoryStore } from '../../engine/inventory/store.ts';
import { InventoryTracker } from '../../engine/inventory/tracker.ts';
import { LivePipeline } from '../../engine/pipeline/live/live-pipeline.ts';
import type { LivePipelineOptions } from '../../engine/pipeline/live/live-pipeline.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { createApiClient } from '../../engine/tailscale-api/create-client.ts';

export const STAND_IN_TOKEN = 'tskey-api-inv';

export interface LiveInventory {
  db: Database;
  store: InventoryStore;
  pipeline: LivePipeline;
  poller: InventoryPoller;
  /** Closes the reader's handle and the database. */
  close: () => void;
}

export interface LiveInventoryOptions {
  dataDir: string;
  rules: readonly LoadedRule[];
  /** The stand-in's URL; it must accept STAND_IN_TOKEN. */
  standInUrl: string;
  tailnet: string;
  /** The poller's clock. */
  now: () => number;
  tailnetOf?: LivePipelineOptions['tailnetOf'];
}

export function liveInventory(options: LiveInventoryOptions): LiveInventory {
  const db = openDatabase(options.dataDir);
  const store = new InventoryStore(db);
  const handle = openInventoryReader(options.dataDir);
  const tracker = new InventoryTracker(store, handle.reader);
  const evaluator = new Evaluator(options.rules, { inventory: tracker });
  const pipeline = new LivePipeline({ db, checkpoints: new CheckpointStore(db), evaluator, route: () => ['archive'], ...(options.tailnetOf === undefined ? {} : { tailnetOf: options.tailnetOf }) });
  const client = createApiClient({ baseUrl: options.standInUrl, auth: { kind: 'token', token: { env: 'T' }, scheme: 'bearer' }, timeoutSeconds: 5, retryMaxSeconds: 1 }, 'inventory[0]', { T: STAND_IN_TOKEN });
  const poller = new InventoryPoller({ tailnet: options.tailnet, client, store, tracker, now: options.now });
  return { db, store, pipeline, poller, close: () => { handle.close(); db.close(); } };
}

/** What must be equal between live and replay: id, first event time and title of each alert. */
export const alertSummary = (alerts: readonly Alert[]) => alerts.map((a) => `${a.alertId} ${a.firstEventTime} ${a.title}`).sort();
