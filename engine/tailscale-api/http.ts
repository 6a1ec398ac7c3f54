// The HTTP pieces every Tailscale API call shares: a bounded fetch, the error it raises, and Retry-After.
import { TailwatchError } from '../errors.ts';

/** A failed API call; `status` 0 when no answer came (network, timeout). */
export class TailscaleApiError extends TailwatchError {
  readonly status: number;
  /** The answer's Retry-After header, when it had one. */
  readonly retryAfter: string | null;
  constructor(status: number, message: string, retryAfter: string | null = null, options?: ErrorOptions) {
    super('TAILSCALE_API', message, options);
    this.name = 'TailscaleApiError';
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** Rate limits, server errors and lost connections pass; a refused credential or a bad request does not. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/**
 * fetch bounded by `timeoutSeconds` and by the caller's signal. Redirects are not followed: a credential must never
 * be sent to another origin.
 */
export async function fetchWithTimeout(
  url: string, init: RequestInit, timeoutSeconds: number, signal: AbortSignal, what: string,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutSeconds * 1000)]) });
  } catch (error) {
    if (signal.aborted) throw error;
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : errorText(error);
    throw new TailscaleApiError(0, `${what}: ${reason}`, null, { cause: error });
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new TailscaleApiError(response.status, `${what}: redirected to ${response.headers.get('location') ?? '(no location)'}; check baseUrl (redirects are not followed with credentials)`);
  }
  return response;
}

/** `403 forbidden ("calling actor does not have enough permissions…")`: the status and the API's own message. */
export function describeFailure(status: number, body: string): string {
  let message: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      message = (parsed as { message: string }).message;
    }
  } catch {
    message = body.trim().slice(0, 200) || undefined;
  }
  return message === undefined ? `HTTP ${status}` : `HTTP ${status} (${message})`;
}

/** Seconds to wait from a Retry-After value (delta seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const dateMs = Date.parse(value);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, (dateMs - Date.now()) / 1000);
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
