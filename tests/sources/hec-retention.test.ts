// Memory returns after a body: once a HEC request is answered, nothing in the receiver still references its
// slices, records or decoded values (checked with WeakRefs after a full GC, not with timings or RSS).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../engine/server/http-server.ts';
import { HecSource } from '../../engine/sources/hec.ts';
import type { Batch, BatchHandler } from '../../engine/sources/types.ts';
import { post } from './http-client.ts';

// gc() without starting the test worker with --expose-gc: the flag applies to contexts created after it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TOKEN = 'hec-token';
const HEADERS = { Authorization: `Splunk ${TOKEN}`, 'Content-Encoding': 'gzip' };

const running: { server: HttpServer; source: HecSource }[] = [];
afterEach(async () => {
  for (const { server, source } of running.splice(0)) {
    await source.stop();
    await server.close();
  }
});

/** A receiver whose handler only keeps WeakRefs to what it was given. */
async function startHec(handle: (batch: Batch) => Promise<void> = async () => {}): Promise<{ url: string; refs: WeakRef<object>[] }> {
  const refs: WeakRef<object>[] = [];
  const handler: BatchHandler = async (batch) => {
    refs.push(new WeakRef(batch), new WeakRef(batch.records));
    for (const record of batch.records) refs.push(new WeakRef(record));
    await handle(batch);
  };
  const source = new HecSource({ name: 'hec', tokens: [TOKEN] });
  await source.start(handler);
  const server = new HttpServer();
  server.mount(source.routes);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  running.push({ server, source });
  return { url: `http://127.0.0.1:${port}/services/collector/event`, refs };
}

/** 1 000 envelopes (ten slices) and one line that is not JSON (a reject). */
function body(): Buffer {
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ time: 1_700_000_000 + i, event: { logtail: { id: i }, text: 'x'.repeat(200) } }));
  lines.splice(500, 0, '{not json');
  return gzipSync(lines.join('\n'));
}

async function alive(refs: readonly WeakRef<object>[]): Promise<number> {
  // WeakRefs made in a job hold their target until the job ends: collect after a turn, twice for finalized wrappers.
  for (let i = 0; i < 2; i++) {
    await nextTurn();
    gc();
  }
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

describe('HEC receiver memory', () => {
  it('keeps no reference to a body\'s slices or records once it has answered', async () => {
    const hec = await startHec();
    const reply = await post(hec.url, { headers: HEADERS, chunks: [body()] });
    expect(reply).toMatchObject({ status: 200, body: { rejected: 1 } });
    expect(hec.refs.length).toBeGreaterThan(1000);
    expect(await alive(hec.refs)).toBe(0);
  });

  it('keeps none either when the pipeline fails a slice midway', async () => {
    let slices = 0;
    const hec = await startHec(async () => {
      if (++slices === 3) throw new Error('pipeline down');
    });
    const reply = await post(hec.url, { headers: HEADERS, chunks: [body()] });
    expect(reply.status).toBe(500);
    expect(hec.refs.length).toBeGreaterThan(200);
    expect(await alive(hec.refs)).toBe(0);
  });
});
