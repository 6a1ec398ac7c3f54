// A local stand-in for Slack's incoming webhooks: answers like Slack does (200 ok, 400 invalid_payload /
// invalid_blocks, 404 no_service) and can be told to answer 429 + Retry-After or 5xx next.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackMessageProblems } from './slack-block-kit.ts';

export interface ScriptedAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface SlackRequest {
  at: number;
  path: string;
  status: number;
  answer: string;
  message: unknown;
}

export interface SlackStandIn {
  /** The incoming-webhook URL that exists. */
  url: string;
  origin: string;
  /** Every request, in arrival order, with what was answered. */
  requests: SlackRequest[];
  /** Messages accepted (200 ok). */
  accepted: unknown[];
  /** The next requests get these answers instead (once each, in order). */
  answerNext(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/services/T0TAILWATCH/B0TAILWATCH/standin-secret-token';

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const scripted: ScriptedAnswer[] = [];
  const requests: SlackRequest[] = [];
  const accepted: unknown[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    let message: unknown;
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      requests.push({ at: Date.now(), path: req.url ?? '', status, answer: text, message });
      reply(res, status, text, headers);
    };
    if (req.method !== 'POST') return answer(405, 'invalid_method');
    if (req.url !== WEBHOOK_PATH) return answer(404, 'no_service');
    try {
      message = JSON.parse(body);
    } catch {
      return answer(400, 'invalid_payload');
    }
    const next = scripted.shift();
    if (next) return answer(next.status, next.body, next.headers);
    const fields = message as { text?: unknown; blocks?: unknown };
    if (fields.text === undefined && fields.blocks === undefined) return answer(400, 'no_text');
    if (slackMessageProblems(message).length > 0) return answer(400, 'invalid_blocks');
    accepted.push(message);
    return answer(200, 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${WEBHOOK_PATH}`,
    origin,
    requests,
    accepted,
    answerNext: (...answers) => scripted.push(...answers),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
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
