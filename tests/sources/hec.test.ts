import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../engine/server/http-server.ts';
import { HecSource } from '../../engine/sources/hec.ts';
import type { HecSourceOptions } from '../../engine/sources/hec.ts';
import { SaturatedError } from '../../engine/sources/types.ts';
import type { Batch, BatchHandler } from '../../engine/sources/types.ts';
import { post } from './http-client.ts';

const BODY = readFileSync(new URL('../../fixtures/corpus/hec-stream-body.txt', import.meta.url));
const TOKEN = 'hec-token-1';
const AUTH = { Authorization: `Splunk ${TOKEN}` };

const running: { server: HttpServer; source: HecSource }[] = [];
afterEach(async () => {
  for (const { server, source } of running.splice(0)) {
    await source.stop();
    await server.close();
  }
});

interface Hec {
  url: (path?: string) => string;
  batches: Batch[];
  source: HecSource;
}

async function startHec(options: Partial<HecSourceOptions> = {}, handler?: BatchHandler): Promise<Hec> {
  const batches: Batch[] = [];
  const source = new HecSource({ name: 'hec', tokens: [TOKEN, 'hec-token-2'], ...options });
  await source.start(handler ?? (async (batch) => { batches.push(batch); }));
  const server = new HttpServer();
  server.mount(source.routes);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  running.push({ server, source });
  return { url: (path = '/services/collector/event') => `http://127.0.0.1:${port}${path}`, batches, source };
}

function okValues(batches: Batch[]): unknown[] {
  return batches.flatMap((batch) => batch.records.filter((record) => record.ok).map((record) => record.value));
}

describe('HEC receiver', () => {
  it('accepts the Tailscale stream body (concatenated envelopes) and answers like Splunk', async () => {
    const hec = await startHec();
    const reply = await post(hec.url(), { headers: AUTH, chunks: [BODY] });
    expect(reply).toMatchObject({ status: 200, body: { text: 'Success', code: 0 } });
    expect(hec.batches).toHaveLength(1);
    const [batch] = hec.batches;
    expect(batch!.source).toBe('hec');
    expect(batch!.checkpoints).toEqual([]);
    expect(batch!.records.map((record) => record.ok)).toEqual([true, true]);
    expect(batch!.records[0]!.position).toEqual({ source: 'hec:0', line: 1, offset: 0 });
    expect(okValues(hec.batches)).toEqual(BODY.toString('utf8').replace('}{"time"', '}\n{"time"').split('\n').map((text) => JSON.parse(text)));
  });

  it('takes gzip bodies, with Content-Encoding or recognised by their magic bytes', async () => {
    const hec = await startHec();
    const gz = gzipSync(BODY);
    expect((await post(hec.url(), { headers: { ...AUTH, 'Content-Encoding': 'gzip' }, chunks: [gz] })).status).toBe(200);
    expect((await post(hec.url(), { headers: AUTH, chunks: [gz] })).status).toBe(200);
    expect(okValues(hec.batches)).toHaveLength(4);
    const unknown = await post(hec.url(), { headers: { ...AUTH, 'Content-Encoding': 'br' }, chunks: [BODY] });
    expect(unknown).toMatchObject({ status: 415 });
  });

  it('reassembles chunked bodies cut anywhere, also inside records and inside gzip', async () => {
    const hec = await startHec();
    const cuts = [1, 17, 200, BODY.length - 3];
    const pieces = (bytes: Buffer) => [0, ...cuts].map((start, i) => bytes.subarray(start, [...cuts, bytes.length][i]));
    expect((await post(hec.url('/services/collector'), { headers: AUTH, chunks: pieces(BODY) })).status).toBe(200);
    const gz = gzipSync(BODY);
    const gzCuts = [0, 5, 40, gz.length];
    const gzPieces = gzCuts.slice(1).map((end, i) => gz.subarray(gzCuts[i], end));
    expect((await post(hec.url(), { headers: { ...AUTH, 'Content-Encoding': 'gzip' }, chunks: gzPieces })).status).toBe(200);
    expect(okValues(hec.batches)).toHaveLength(4);
  });

  it('accepts Bearer, Basic (token as password) and every configured token', async () => {
    const hec = await startHec();
    const basic = `Basic ${Buffer.from(`tailscale:${TOKEN}`).toString('base64')}`;
    for (const authorization of [basic, `Bearer ${TOKEN}`, 'Splunk hec-token-2', `splunk ${TOKEN}`]) {
      expect((await post(hec.url(), { headers: { Authorization: authorization }, chunks: [BODY] })).status).toBe(200);
    }
    expect(hec.batches).toHaveLength(4);
  });

  it('answers 401 to a missing, malformed or wrong token without reading the body or calling the pipeline', async () => {
    const hec = await startHec();
    const cases: [Record<string, string>, number][] = [
      [{}, 2],
      [{ Authorization: 'Splunk' }, 3],
      [{ Authorization: 'Splunk wrong-token' }, 4],
      [{ Authorization: `Basic ${Buffer.from('tailscale:nope').toString('base64')}` }, 4],
      [{ Authorization: `Digest ${TOKEN}` }, 3],
    ];
    for (const [headers, code] of cases) {
      // The body never ends: an answer proves it was not waited for.
      const reply = await post(hec.url(), { headers, chunks: [BODY.subarray(0, 10)], leaveOpen: true });
      expect(reply).toMatchObject({ status: 401, body: { code } });
      expect(reply.headers.connection).toBe('close');
    }
    expect(hec.batches).toEqual([]);
  });

  it('refuses an oversized body with 413, by Content-Length or while streaming', async () => {
    const hec = await startHec({ maxBodyBytes: 1024 });
    const big = Buffer.alloc(64 * 1024, 0x20);
    const declared = await post(hec.url(), { headers: { ...AUTH, 'Content-Length': String(big.length) }, chunks: [big] });
    expect(declared).toMatchObject({ status: 413, body: { code: 6 } });
    const streamed = await post(hec.url(), { headers: AUTH, chunks: [big.subarray(0, 800), big.subarray(800)], leaveOpen: true });
    expect(streamed.status).toBe(413);
    expect(hec.batches).toEqual([]);
  });

  it('stops inflating a gzip bomb at maxDecompressedBytes, holding little memory', async () => {
    const hec = await startHec({ maxDecompressedBytes: 1024 * 1024 });
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member)); // 1 GiB inflated, ~1 MiB on the wire
    const before = process.memoryUsage().rss;
    const reply = await post(hec.url(), { headers: { ...AUTH, 'Content-Encoding': 'gzip' }, chunks: [bomb] });
    expect(reply).toMatchObject({ status: 413, body: { code: 6 } });
    expect(String(reply.body.detail)).toContain('inflates past 1048576 bytes');
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    expect(hec.batches).toEqual([]);
  });

  it('keeps the good records of a body with bad ones and says how many were rejected', async () => {
    const hec = await startHec();
    const mixed = await post(hec.url('/ingest'), { headers: AUTH, chunks: ['{"a":1}\n{"broken": }\n[1]\n{"b":2}\n'] });
    expect(mixed).toMatchObject({ status: 200, body: { text: 'Success', code: 0, rejected: 2 } });
    const records = hec.batches[0]!.records;
    expect(records.filter((record) => record.ok)).toHaveLength(2);
    expect(records.filter((record) => !record.ok).map((record) => !record.ok && record.reason)).toEqual(['invalid_json', 'not_an_object']);

    const allBad = await post(hec.url(), { headers: AUTH, chunks: ['{nope}'] });
    expect(allBad).toMatchObject({ status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 0, rejected: 1 } });
    expect(await post(hec.url(), { headers: AUTH, chunks: ['  \n'] })).toMatchObject({ status: 400, body: { code: 5 } });
  });

  it('reports the pipeline counts when the handler returns them', async () => {
    const hec = await startHec({}, async (batch) => ({ accepted: batch.records.length - 1, rejected: 1 }));
    expect(await post(hec.url(), { headers: AUTH, chunks: [BODY] })).toMatchObject({ status: 200, body: { code: 0, rejected: 1 } });
  });

  it('takes Panther-style JSON arrays on /ingest', async () => {
    const hec = await startHec();
    expect((await post(hec.url('/ingest'), { headers: { Authorization: `Bearer ${TOKEN}` }, chunks: ['[{"a":1},{"a":2}]'] })).status).toBe(200);
    expect(okValues(hec.batches)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('answers 503 + Retry-After when the pipeline is saturated, and 500 when it fails', async () => {
    let failure: Error = new SaturatedError('outbox full', 7);
    const hec = await startHec({}, async () => { throw failure; });
    const busy = await post(hec.url(), { headers: AUTH, chunks: [BODY] });
    expect(busy).toMatchObject({ status: 503, body: { text: 'Server is busy', code: 9 } });
    expect(busy.headers['retry-after']).toBe('7');
    failure = new Error('disk full');
    expect(await post(hec.url(), { headers: AUTH, chunks: [BODY] })).toMatchObject({ status: 500, body: { code: 8 } });
  });

  it('answers only after the handler resolved, and bounds requests in flight', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => { entered = resolve; });
    const hec = await startHec({ maxInFlightRequests: 1, busyRetryAfterSeconds: 3 }, async () => {
      order.push('handler entered');
      entered();
      await gate;
      order.push('handler resolved');
    });
    const first = post(hec.url(), { headers: AUTH, chunks: [BODY] }).then((reply) => { order.push('first answered'); return reply; });
    await inside;
    const second = await post(hec.url(), { headers: AUTH, chunks: [BODY] });
    expect(second).toMatchObject({ status: 503, body: { code: 9 } });
    expect(second.headers['retry-after']).toBe('3');
    release();
    expect((await first).status).toBe(200);
    expect(order).toEqual(['handler entered', 'handler resolved', 'first answered']);
  });

  it('cuts a body that arrives too slowly or not at all with 408, freeing its slot', async () => {
    const hec = await startHec({ maxInFlightRequests: 1, bodyTimeoutSeconds: 1, minBodyBytesPerSecond: 0 });
    const stalled = await post(hec.url(), { headers: AUTH, chunks: ['{"a":'], leaveOpen: true });
    expect(stalled).toMatchObject({ status: 408, body: { code: 6, detail: 'body not received within 1 s' } });
    expect(stalled.headers.connection).toBe('close');
    expect((await post(hec.url(), { headers: AUTH, chunks: [BODY] })).status).toBe(200);

    const trickle = await startHec({ maxInFlightRequests: 1, minBodyBytesPerSecond: 1000 });
    const slow = await post(trickle.url(), { headers: AUTH, chunks: ['{"a":1}'], leaveOpen: true });
    expect(slow).toMatchObject({ status: 408, body: { code: 6, detail: 'body arrives slower than 1000 bytes/s' } });
    expect((await post(trickle.url(), { headers: AUTH, chunks: [BODY] })).status).toBe(200);
  });

  it('sheds load beyond maxInFlightRequests with 503 + Retry-After when the pipeline does synchronous work', async () => {
    let concurrent = 0;
    let most = 0;
    const hec = await startHec({ maxInFlightRequests: 4 }, async (batch) => {
      concurrent++;
      most = Math.max(most, concurrent);
      // Parsing and evaluation are synchronous: a few milliseconds of CPU per body, as in the live pipeline.
      const until = performance.now() + 3;
      while (performance.now() < until) JSON.stringify(batch.records);
      concurrent--;
    });
    // The senders are another process, as in production: their requests queue while this one is busy.
    const replies = await concurrentPosts(hec.url(), BODY, 100);
    const busy = replies.filter((reply) => reply.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((reply) => reply.retryAfter === '5')).toBe(true);
    expect(replies.filter((reply) => reply.status !== 503 && reply.status !== 200)).toEqual([]);
    expect(most).toBe(1);
  });

  it('hands a large body to the pipeline in slices, serving other requests in between', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ time: 1, event: { n: i, pad: 'x'.repeat(200) } }));
    const body = gzipSync(lines.join('\n'));
    const sizes: number[] = [];
    let healthAnsweredAfter: number | undefined;
    const batches: Batch[] = [];
    const hec = await startHec({}, async (batch) => {
      batches.push(batch);
      sizes.push(batch.records.length);
      if (sizes.length === 1) void fetch(hec.url('/services/collector/health')).then(() => { healthAnsweredAfter = sizes.length; });
    });
    const reply = await post(hec.url(), { headers: { ...AUTH, 'Content-Encoding': 'gzip' }, chunks: [body] });
    expect(reply).toMatchObject({ status: 200, body: { code: 0 } });
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(okValues(batches).map((value) => (value as { event: { n: number } }).event.n)).toEqual(lines.map((_, i) => i));
    expect(healthAnsweredAfter).toBeLessThan(sizes.length);
  });

  it('reports its health Splunk-style and refuses input once stopped', async () => {
    const hec = await startHec();
    const health = await fetch(hec.url('/services/collector/health'));
    expect(await health.json()).toEqual({ text: 'HEC is healthy', code: 17 });
    expect(hec.source.health().ok).toBe(true);
    await hec.source.stop();
    expect(hec.source.health().ok).toBe(false);
    const reply = await post(hec.url(), { headers: AUTH, chunks: [BODY] });
    expect(reply).toMatchObject({ status: 503, body: { code: 9 } });
    expect((await fetch(hec.url('/services/collector/health'))).status).toBe(503);
  });

  it('asks for the body with 100 Continue only once the token is good', async () => {
    const hec = await startHec();
    const send = (authorization: string) =>
      new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = request(hec.url(), { method: 'POST', headers: { Authorization: authorization, Expect: '100-continue', 'Content-Length': BODY.length } });
        req.on('continue', () => {
          continued = true;
          req.end(BODY);
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await send('Splunk wrong')).toEqual({ status: 401, continued: false });
    expect(await send(`Splunk ${TOKEN}`)).toEqual({ status: 200, continued: true });
    expect(okValues(hec.batches)).toHaveLength(2);
  });

  it('refuses to run without a token', () => {
    expect(() => new HecSource({ name: 'hec', tokens: [] })).toThrow(/at least one token/);
  });
});

/** `count` posts at once from a child process, each on its own connection; their statuses and Retry-After headers. */
async function concurrentPosts(url: string, body: Buffer, count: number): Promise<{ status: number; retryAfter: string | undefined }[]> {
  const script = `
    import { request } from 'node:http';
    const [url, auth, body, count] = JSON.parse(process.argv[1]);
    const post = () => new Promise((resolve) => {
      const req = request(url, { method: 'POST', headers: { Authorization: auth, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'] }));
      });
      req.on('error', (error) => resolve({ status: 0, retryAfter: String(error.code) }));
      req.end(body);
    });
    console.log(JSON.stringify(await Promise.all(Array.from({ length: count }, post))));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([url, AUTH.Authorization, body.toString('utf8'), count])]);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  await once(child, 'exit');
  return JSON.parse(stdout) as { status: number; retryAfter: string | undefined }[];
}
