// Splunk HEC's JSON answers (docs: "Troubleshoot HTTP Event Collector", possible error codes), so senders that parse them are happy.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../server/http-server.ts';

export interface HecAnswer {
  status: number;
  text: string;
  code: number;
}

export const HEC = {
  success: { status: 200, text: 'Success', code: 0 },
  tokenRequired: { status: 401, text: 'Token is required', code: 2 },
  invalidAuthorization: { status: 401, text: 'Invalid authorization', code: 3 },
  invalidToken: { status: 401, text: 'Invalid token', code: 4 },
  noData: { status: 400, text: 'No data', code: 5 },
  invalidDataFormat: { status: 400, text: 'Invalid data format', code: 6 },
  internalError: { status: 500, text: 'Internal server error', code: 8 },
  serverBusy: { status: 503, text: 'Server is busy', code: 9 },
  healthy: { status: 200, text: 'HEC is healthy', code: 17 },
  unhealthy: { status: 503, text: 'HEC is unhealthy, queues are full', code: 18 },
  // Splunk has no code of its own for these; 6 is what its senders treat as "do not retry this body".
  tooLarge: { status: 413, text: 'Content too large', code: 6 },
  unsupportedEncoding: { status: 415, text: 'Unsupported content encoding', code: 6 },
  bodyTimeout: { status: 408, text: 'Request body too slow', code: 6 },
} as const satisfies Record<string, HecAnswer>;

export interface AnswerOptions {
  /** Extra fields next to text/code (`invalid-event-number`, `rejected`). */
  extra?: Record<string, unknown>;
  retryAfterSeconds?: number | undefined;
  /** The body was not (fully) read: close the connection rather than drain it. */
  close?: boolean;
}

export function answer(res: ServerResponse, hec: HecAnswer, options: AnswerOptions = {}): void {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(options.retryAfterSeconds)));
  sendJson(res, hec.status, { text: hec.text, code: hec.code, ...options.extra }, { headers, close: options.close ?? false });
}
