// A HEC sender like Tailscale's log streaming: posts a body with the token, and (for streams) retries a body
// until it is acknowledged with 200, through refused connections, dropped connections and 503s.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

export interface HecReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface HecPostOptions {
  token?: string | undefined;
  /** Authorization header as given (overrides token). */
  authorization?: string;
  gzip?: boolean;
  path?: string;
  headers?: Record<string, string>;
}

export function postHec(baseUrl: string, body: string | Buffer, options: HecPostOptions = {}): Promise<HecReply> {
  const payload = options.gzip === true ? gzipSync(body) : Buffer.from(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(payload.length), ...options.headers };
  if (options.gzip === true) headers['content-encoding'] = 'gzip';
  const authorization = options.authorization ?? (options.token === undefined ? undefined : `Splunk ${options.token}`);
  if (authorization !== undefined) headers.authorization = authorization;
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${options.path ?? '/services/collector/event'}`, { method: 'POST', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Acknowledged {
  attempts: number;
  /** Attempts whose connection was cut after the body went out (the server may have committed it). */
  cut: number;
}

/** Sends until a 200, through refused and cut connections, 500 and 503. Any other answer is a test failure. */
export async function postUntilAccepted(baseUrl: () => string, body: string, token: string): Promise<Acknowledged> {
  let cut = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const reply = await postHec(baseUrl(), body, { token });
      if (reply.status === 200) return { attempts: attempt, cut };
      if (reply.status !== 503 && reply.status !== 500) throw new Error(`HEC answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') cut += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || (error as Error).message === 'socket hang up';
}

/** Records as one HEC body: `{"time","event"}` envelopes concatenated with no separator, as Tailscale sends them. */
export function hecBody(records: readonly Record<string, unknown>[]): string {
  let body = '';
  for (const record of records) {
    const time = Date.parse(String(record.eventTime ?? record.end ?? record.logged)) / 1000;
    body += JSON.stringify({ time, event: record });
  }
  return body;
}
