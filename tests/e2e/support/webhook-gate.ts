// A pass-through in front of the webhook receiver that can act between "the receiver processed the alert" and
// "tailwatch got the answer": killing tailwatch there is the one crash that makes at-least-once delivery resend.
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookGate {
  url: string;
  /** On the nth request from now, runs `action` after the receiver answered and before tailwatch sees the answer. */
  onNth: (n: number, action: () => Promise<unknown>) => Promise<void>;
  close: () => Promise<void>;
}

const FORWARDED = ['content-type', 'idempotency-key', 'x-tailwatch-signature', 'user-agent'];

export async function startWebhookGate(targetUrl: string): Promise<WebhookGate> {
  let seen = 0;
  let trap: { at: number; action: () => Promise<unknown>; done: () => void } | undefined;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
    const answer = await fetch(targetUrl, { method: 'POST', headers, body });
    const text = await answer.text();
    seen += 1;
    if (trap !== undefined && seen === trap.at) {
      const { action, done } = trap;
      trap = undefined;
      await action();
      done();
    }
    res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tailwatch`,
    onNth: (n, action) => new Promise<void>((done) => (trap = { at: seen + n, action, done })),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
