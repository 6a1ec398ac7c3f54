// A live pipeline whose evaluation worker keeps a tailnet inventory in a data directory, polled from the Tailscale API
// stand-in: how replay-equals-live tests evaluate a planted stream live before exporting the inventory for replay.
import type { Alert } from '../../engine/alerts/alert.ts';
import type { Database } from '../../engine/state/database.ts';
import { InventoryPoller } from '../../engine/inventory/poller.ts';
import { InventoryStore } from '../../engine/inventory/store.ts';
import type { LivePipeline, LivePipelineOptions } from '../../engine/pipeline/live/live-pipeline.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { createApiClient } from '../../engine/tailscale-api/create-client.ts';
import { startPipeline } from './live-pipeline.ts';

export const STAND_IN_TOKEN = 'tskey-api-inv';

export interface LiveInventory {
  db: Database;
  store: InventoryStore;
  pipeline: LivePipeline;
  poller: InventoryPoller;
  /** Stops the evaluation worker and closes the database. */
  close: () => Promise<void>;
}

export interface LiveInventoryOptions {
  dataDir: string;
  /** Pack rules by id. */
  ruleIds: string[];
  /** The stand-in's URL; it must accept STAND_IN_TOKEN. */
  standInUrl: string;
  tailnet: string;
  /** The poller's clock. */
  now: () => number;
  tailnetOf?: LivePipelineOptions['tailnetOf'];
}

export async function liveInventory(options: LiveInventoryOptions): Promise<LiveInventory> {
  const db = openDatabase(options.dataDir);
  const store = new InventoryStore(db);
  // The evaluation worker holds the inventory tracker (on its own connection to dataDir), as in `tailwatch run`.
  const pipeline = await startPipeline({ dataDir: options.dataDir, db, ruleIds: options.ruleIds, route: () => ['archive'], ...(options.tailnetOf === undefined ? {} : { tailnetOf: options.tailnetOf }) });
  const client = createApiClient({ baseUrl: options.standInUrl, auth: { kind: 'token', token: { env: 'T' }, scheme: 'bearer' }, timeoutSeconds: 5, retryMaxSeconds: 1 }, 'inventory[0]', { T: STAND_IN_TOKEN });
  const poller = new InventoryPoller({ tailnet: options.tailnet, client, store, tracker: { learnPolled: pipeline.learnPolled.bind(pipeline) }, now: options.now });
  const close = async () => {
    await pipeline.close();
    db.close();
  };
  return { db, store, pipeline, poller, close };
}

/** What must be equal between live and replay: id, first event time and title of each alert. */
export const alertSummary = (alerts: readonly Alert[]) => alerts.map((a) => `${a.alertId} ${a.firstEventTime} ${a.title}`).sort();
