// What every cluster test file shares: one nats-server per file, cleanups run after each test (last added first),
// and the planted stream with the threshold rule that makes its expected alerts.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { plantedStream } from '../../../fixtures/e2e/planted-stream.ts';
import { ROOT } from '../../e2e/support/workspace.ts';
import { startNatsServer, type NatsServer } from './nats-server.ts';

export const THRESHOLD_RULE = `${ROOT}/fixtures/e2e/rules/e2e-nodes-removed-burst.ts`;
export const stream = plantedStream();

/** Starts a nats-server before the file's tests and removes it after; call at the top of a test file. */
export function natsPerFile(options: { token?: string } = {}): () => NatsServer {
  let nats: NatsServer | undefined;
  beforeAll(async () => {
    nats = await startNatsServer(options);
  });
  afterAll(async () => {
    await nats?.close();
  });
  return () => {
    if (nats === undefined) throw new Error('the nats-server did not start');
    return nats;
  };
}

export interface Cleanups {
  (cleanup: () => Promise<unknown>): void;
  /** Runs the ones registered so far (e.g. at the end of one round of a test). */
  now: () => Promise<void>;
}

/** Registers cleanups for the current test; they run after it (or at now()), last added first. */
export function cleanupsPerTest(): Cleanups {
  const cleanups: (() => Promise<unknown>)[] = [];
  const now = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  afterEach(now);
  return Object.assign((cleanup: () => Promise<unknown>) => void cleanups.push(cleanup), { now });
}
