// One HTTP POST with a timeout, classified: 2xx delivered; 408/429/5xx/network retried; other 4xx permanent.
import { parseRetryAfter } from './retry-after.ts';
import type { SendResult } from './types.ts';

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutSeconds: number;
  /** Aborts the request when the deliverer shuts down. */
  signal?: AbortSignal | undefined;
}

const MAX_RESPONSE_CHARS = 2048;

export async function post(request: PostRequest): Promise<SendResult> {
  const timeout = AbortSignal.timeout(request.timeoutSeconds * 1000);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    // Redirects are not followed: a POST turned into a GET would be reported as delivered.
    const response = await fetch(request.url, { method: 'POST', body: request.body, headers: request.headers, signal, redirect: 'manual' });
    const responseBody = await readStart(response);
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, status };
    const retryable = status === 408 || status === 429 || status >= 500;
    const retryAfterMs = retryable ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined;
    const detail = responseBody.trim() === '' ? '' : `: ${responseBody.trim().slice(0, 200)}`;
    const redirect = status >= 300 && status < 400 ? ' (redirect not followed: check the URL)' : '';
    return {
      ok: false,
      retryable,
      status,
      error: `HTTP ${status}${redirect}${detail}`,
      responseBody,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (error) {
    return { ok: false, retryable: true, error: describeFailure(error, request) };
  }
}

function describeFailure(error: unknown, request: PostRequest): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `timed out after ${request.timeoutSeconds}s`;
  if (error instanceof DOMException && error.name === 'AbortError') return 'aborted (shutting down)';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const text = `connection failed${typeof code === 'string' ? ` (${code})` : ''}: ${message}`;
  // A URL can be a credential (Slack): make sure it never reaches a log or the outbox.
  return text.split(request.url).join('[url]');
}

async function readStart(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < MAX_RESPONSE_CHARS) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
  } catch {
    // A body cut short still leaves the status, which decides the outcome.
  }
  return text.slice(0, MAX_RESPONSE_CHARS);
}
