// Default decode limits and how partial overrides are resolved.
import type { DecodeLimits } from './types.ts';

export const DEFAULT_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxRecordBytes: 1024 * 1024,
  maxDepth: 64,
  maxDecompressedBytes: 1024 * 1024 * 1024,
});

export function resolveLimits(limits: Partial<DecodeLimits> | undefined): DecodeLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
