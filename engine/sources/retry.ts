// How long a source waits before delivering a batch again: the pipeline's Retry-After, else exponential backoff.
import { SaturatedError } from './types.ts';

export function retryDelaySeconds(error: unknown, attempt: number, retryMaxSeconds: number): number {
  if (error instanceof SaturatedError) return error.retryAfterSeconds;
  return Math.min(retryMaxSeconds, 2 ** Math.min(attempt - 1, 16));
}
