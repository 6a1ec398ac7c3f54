// The worker side of a watched worker: shares the call slot with the watchdog, runs the job, and hands an error it
// throws to the owner (with the stable code a TailwatchError carries) instead of crashing the thread.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { TailwatchError } from '../errors.ts';
import { shareCallSlot } from '../rules/base/rule-calls.ts';
import type { RuleNamed, WorkerFailure } from './worker-messages.ts';

export async function runWorkerJob<D>(job: (data: D, port: MessagePort) => Promise<void>): Promise<void> {
  const port = parentPort!;
  const { slot } = workerData as { slot: SharedArrayBuffer };
  shareCallSlot(slot, (index, name) => port.postMessage({ type: 'rule-named', index, name } satisfies RuleNamed));
  try {
    // Rule modules import the engine: imported first (while the owner gets the job ready), a rule's load budget
    // measures the module's own top level.
    await import('../index.ts');
    const [data] = (await once(port, 'message')) as [D];
    await job(data, port);
  } catch (error) {
    const code = error instanceof TailwatchError ? error.code : 'INTERNAL';
    const message = error instanceof Error ? (code === 'INTERNAL' ? (error.stack ?? error.message) : error.message) : String(error);
    port.postMessage({ type: 'worker-failed', code, message } satisfies WorkerFailure);
  }
}
