// The Tailscale webhook receiver over real HTTP on 127.0.0.1: signed arrays become one record per event, and the
// answer waits for the pipeline; unsigned, forged, expired and replayed posts get 401 and reach nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../../engine/server/http-server.ts';
import { StorageFullError } from '../../engine/errors.ts';
import { TailscaleWebhookSource } from '../../engine/sources/tailscale-webhook.ts';
import type { TailscaleWebhookOptions } from '../../engine/sources/tailscale-webhook.ts';
import { SaturatedError } from '../../engine/sources/types.ts';
import type { Batch, BatchHandler } from '../../engine/sources/types.ts';
import { nodeNeedsApproval, postWebhook, signedPost, webhookEvent } from '../support/tailscale-webhook-sender.ts';

const SECRET = 'tskey-webhook-unit';
const now = () => new Date().toISOString();

const running: { server: HttpServer; source: TailscaleWebhookSource }[] = [];
afterEach(async () => {
  for (const { server, source } of running.splice(0)) {
    await source.stop();
    await server.close();
  }
});

async function startReceiver(handler?: BatchHandler, options: Partial<TailscaleWebhookOptions> = {}) {
  const batches: Batch[] = [];
  const source = new TailscaleWebhookSource({
    name: 'tailscale-webhook', listen: '127.0.0.1:0', path: '/tailscale/webhook', secret: SECRET, toleranceSeconds: 300,
    maxBodyBytes: 2 ** 20, ...options,
  });
  await source.start(handler ?? (async (batch) => { batches.push(batch); }));
  const server = new HttpServer();
  server.mount(source.routes);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  running.push({ server, source });
  return { url: `http://127.0.0.1:${port}/tailscale/webhook`, batches };
}

describe('Tailscale webhook receiver', () => {
  it('turns a signed array into one record per event, answered after the handler resolved', async () => {
    const receiver = await startReceiver();
    const events = [nodeNeedsApproval(now(), 'laptop'), webhookEvent('userCreated', now(), { user: 'bob@example.com' })];
    const reply = await postWebhook(receiver.url, signedPost(SECRET, events));
    expect(reply).toMatchObject({ status: 200, body: { text: 'Success', accepted: 2, rejected: 0 } });
    expect(receiver.batches).toHaveLength(1);
    const [batch] = receiver.batches;
    expect(batch!.records.map((record) => (record.ok ? record.value : undefined))).toEqual(events);
    expect(batch!.records[1]!.position).toEqual({ source: 'tailscale-webhook:0[1]', line: 1, offset: 0 });
  });

  it('refuses unsigned, forged, other-secret and expired posts with 401, journaling nothing', async () => {
    const receiver = await startReceiver();
    const events = [nodeNeedsApproval(now(), 'laptop')];
    const good = signedPost(SECRET, events);
    const unsigned = { body: good.body, headers: { 'Content-Type': 'application/json' } };
    const tampered = { ...good, body: good.body.replace('laptop', 'server') };
    const otherSecret = signedPost('not-the-secret', events);
    const expired = signedPost(SECRET, events, Math.floor(Date.now() / 1000) - 301);
    for (const post of [unsigned, tampered, otherSecret, expired]) {
      const reply = await postWebhook(receiver.url, post);
      expect(reply.status).toBe(401);
    }
    expect((await postWebhook(receiver.url, expired)).body.text).toBe('signature timestamp is outside the tolerance');
    expect(receiver.batches).toEqual([]);
  });

  it('refuses a replay of a post it already committed with 401', async () => {
    const receiver = await startReceiver();
    const post = signedPost(SECRET, [nodeNeedsApproval(now(), 'laptop')]);
    expect((await postWebhook(receiver.url, post)).status).toBe(200);
    const replay = await postWebhook(receiver.url, post);
    expect(replay).toMatchObject({ status: 401, body: { text: 'this signed post was already accepted' } });
    expect(receiver.batches).toHaveLength(1);
  });

  it('takes the same signed post again when the first answer was 503 (Tailscale retries), with Retry-After', async () => {
    let refuse = true;
    const batches: Batch[] = [];
    const receiver = await startReceiver(async (batch) => {
      if (refuse) throw new SaturatedError('full', 7);
      batches.push(batch);
    });
    const post = signedPost(SECRET, [nodeNeedsApproval(now(), 'laptop')]);
    const busy = await postWebhook(receiver.url, post);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('7');
    refuse = false;
    expect((await postWebhook(receiver.url, post)).status).toBe(200);
    expect(batches).toHaveLength(1);
  });

  it('answers 503 + Retry-After when the database is full', async () => {
    const receiver = await startReceiver(async () => {
      throw new StorageFullError('disk full');
    });
    const reply = await postWebhook(receiver.url, signedPost(SECRET, [nodeNeedsApproval(now(), 'laptop')]));
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('5');
  });

  it('answers 400 to a signed body that is not a JSON array, and to one whose every event is rejected', async () => {
    const receiver = await startReceiver(async (batch) => ({ accepted: 0, rejected: batch.records.length }));
    expect((await postWebhook(receiver.url, signedPost(SECRET, '{"type":"nodeCreated"}'))).body.text).toBe('body is not a JSON array of events');
    expect((await postWebhook(receiver.url, signedPost(SECRET, '[{"type":'))).status).toBe(400);
    expect(await postWebhook(receiver.url, signedPost(SECRET, [1, 'x']))).toMatchObject({ status: 400, body: { accepted: 0, rejected: 2 } });
  });

  it('reports the rejected events of a partly good array with 200 (they are quarantined, the rest kept)', async () => {
    const receiver = await startReceiver(async (batch) => ({ accepted: batch.records.length - 1, rejected: 1 }));
    const reply = await postWebhook(receiver.url, signedPost(SECRET, [nodeNeedsApproval(now(), 'a'), { nonsense: true }]));
    expect(reply).toMatchObject({ status: 200, body: { accepted: 1, rejected: 1 } });
  });

  it('refuses a body over maxBodyBytes with 413 and a compressed one with 415', async () => {
    const receiver = await startReceiver(undefined, { maxBodyBytes: 100 });
    const big = signedPost(SECRET, Array.from({ length: 5 }, () => nodeNeedsApproval(now(), 'laptop')));
    expect((await postWebhook(receiver.url, big)).status).toBe(413);
    const small = signedPost(SECRET, []);
    expect((await postWebhook(receiver.url, { ...small, headers: { ...small.headers, 'Content-Encoding': 'gzip' } })).status).toBe(415);
  });
});
