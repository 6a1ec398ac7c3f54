// A worker thread behind `tailwatch replay`: its share of the replay (replay-shard.ts), posted to the main thread.
// Rule code runs only in these workers, under the watchdog.
import type { MessagePort } from 'node:worker_threads';
import { runWorkerJob } from '../workers/worker-side.ts';
import type { ReplayJob } from './replay-messages.ts';
import { replayShard } from './replay-shard.ts';

await runWorkerJob<ReplayJob>((job, port: MessagePort) => replayShard(job, (message) => port.postMessage(message)));
