// A local webhook receiver like an integration would run: verifies X-Tailwatch-Signature (with the code from
// docs/delivery.md), processes each Idempotency-Key once, and can be taken down, brought back, or told to
// answer 4xx/5xx/429 or to hold a request unanswered.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyTailwatchSignature } from './verify-signature.ts';

export interface ScriptedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface ReceivedRequest {
  at: number;
  idempotencyKey: string | undefined;
  signatureValid: boolean;
  headers: IncomingMessage['headers'];
  status: number;
  payload: Record<string, unknown> | undefined;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Payloads processed, one per idempotency key (repeats are answered 200 but not processed again). */
  processed: Map<string, Record<string, unknown>>;
  /** How many times each key arrived with a valid signature. */
  arrivals: Map<string, number>;
  /** One payload per alert: the latest revision processed of each alertId. */
  alerts(): Record<string, unknown>[];
  answerNext(...answers: ScriptedAnswer[]): void;
  /** After `skip` more requests, the next one is never answered; resolves when it arrives. */
  holdNext(skip?: number): Promise<void>;
  /** Stops listening and drops open connections: senders get connection errors. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { secret: string }): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const processed = new Map<string, Record<string, unknown>>();
  const arrivals = new Map<string, number>();
  const scripted: ScriptedAnswer[] = [];
  const holds: { skip: number; arrived: () => void }[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const key = header(req, 'idempotency-key');
    const signatureValid = verifyTailwatchSignature(options.secret, body, header(req, 'x-tailwatch-signature') ?? '');
    const record = (status: number, text: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) => {
      requests.push({ at: Date.now(), idempotencyKey: key, signatureValid, headers: req.headers, status, payload });
      reply(res, status, text, headers);
    };
    const hold = holds[0];
    if (hold && hold.skip-- === 0) {
      holds.shift();
      return hold.arrived();
    }
    if (!signatureValid) return record(401, 'invalid signature');
    if (key === undefined) return record(400, 'missing Idempotency-Key');
    arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
    const next = scripted.shift();
    if (next) return record(next.status, next.body, undefined, next.headers);
    const payload = JSON.parse(body) as Record<string, unknown>;
    if (processed.has(key)) return record(200, 'duplicate ignored', payload);
    processed.set(key, payload);
    return record(200, 'accepted', payload);
  });
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/hooks/tailwatch`,
    requests,
    processed,
    alerts: () => {
      const latest = new Map<string, Record<string, unknown>>();
      for (const payload of processed.values()) {
        const previous = latest.get(String(payload.alertId));
        if (previous === undefined || Number(payload.revision) > Number(previous.revision)) latest.set(String(payload.alertId), payload);
      }
      return [...latest.values()];
    },
    arrivals,
    answerNext: (...answers) => scripted.push(...answers),
    holdNext: (skip = 0) => new Promise<void>((arrived) => holds.push({ skip, arrived })),
    down: close,
    up: () => listen(server, port),
    close: () => (server.listening ? close() : Promise.resolve()),
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
