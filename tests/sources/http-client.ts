// A tiny node:http client for tests that need control fetch does not give: chunked pieces, unended bodies.
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** Written one after another (chunked unless a Content-Length header is given). */
  chunks?: (string | Buffer)[];
  /** Leave the body unfinished: the reply must come without it. */
  leaveOpen?: boolean;
}

export function post(url: string, options: PostOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: options.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
        req.destroy();
      });
    });
    // The server may answer and close before an oversized body is fully sent: the reply is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.leaveOpen !== true) req.end();
  });
}
