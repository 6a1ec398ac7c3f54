// A full database (reached through the real `maxDatabaseMiB` bound): HEC senders get 503 + Retry-After, the log
// names SQLITE_FULL (not the ROLLBACK that used to replace it), nothing acknowledged is lost, and once there is
// room again everything resumes by itself.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedStream } from '../../fixtures/e2e/planted-stream.ts';
import { waitFor } from '../support/wait-for.ts';
import { hecBody, postHec, postUntilAccepted } from './support/hec-client.ts';
import { startEvaluatorUnderTest, type EvaluatorUnderTest } from './support/evaluator-under-test.ts';
import { HEC_TOKEN } from './support/workspace.ts';

const MAX_DATABASE_MIB = 1;
/** Minute 5 holds alice disabling Magic DNS. */
const MAGIC_DNS_BATCH = hecBody(plantedStream().batches[5] ?? []);

let run: EvaluatorUnderTest;

beforeAll(async () => {
  run = await startEvaluatorUnderTest({ configure: (config) => ({ ...config, maxDatabaseMiB: MAX_DATABASE_MIB }) });
});
afterAll(async () => {
  await run?.close();
});

/** Something else takes the room: rows written by another connection, which the bound does not apply to. */
function fill(db: DatabaseSync): void {
  const insert = db.prepare("INSERT INTO quarantine (received_at, source, line, byte_offset, reason, message, raw) VALUES (0, 'filler', 0, 0, 'filler', '', ?)");
  const pages = () => (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
  const limit = (MAX_DATABASE_MIB * 2 ** 20) / 4096;
  while (pages() < limit + 8) insert.run('x'.repeat(3000));
}

describe('tailwatch run with a full database', () => {
  it('answers 503 with Retry-After and logs the real error, then resumes once there is room', async () => {
    const db = new DatabaseSync(join(run.workspace.dataDir, 'tailwatch.sqlite'));
    db.exec('PRAGMA busy_timeout = 5000');
    fill(db);

    const refused = await postHec(run.tailwatch.baseUrl, MAGIC_DNS_BATCH, { token: HEC_TOKEN });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const failure = await run.tailwatch.waitForLog('commit failed; restoring state from the last snapshot');
    expect(String(failure.error)).toContain('database or disk is full');
    expect(JSON.stringify(run.tailwatch.logs)).not.toContain('cannot rollback');

    db.exec("DELETE FROM quarantine WHERE reason = 'filler'");
    db.close();
    await postUntilAccepted(() => run.tailwatch.baseUrl, MAGIC_DNS_BATCH, HEC_TOKEN);
    await waitFor(() => [...run.receiver.processed.values()].some((payload) => payload.ruleId === 'Tailscale.Magic.DNS.Disabled'), 'the Magic DNS alert');
    expect(await run.tailwatch.stop()).toEqual({ code: 0, signal: null });
  });
});
