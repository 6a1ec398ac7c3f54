// `--from` / `--to` as commands take them: RFC 3339 or YYYY-MM-DD (UTC midnight); from must be before to.
import { TailwatchError } from '../errors.ts';
import { timeToMs } from '../schemas/time.ts';

export function timeRange(args: { from?: string | undefined; to?: string | undefined }): { fromMs?: number; toMs?: number } {
  const range: { fromMs?: number; toMs?: number } = {};
  if (args.from !== undefined) range.fromMs = parseBound('--from', args.from);
  if (args.to !== undefined) range.toMs = parseBound('--to', args.to);
  if (range.fromMs !== undefined && range.toMs !== undefined && range.fromMs >= range.toMs) {
    throw new TailwatchError('USAGE', `--from ${args.from} is not before --to ${args.to}: no event could match`);
  }
  return range;
}

function parseBound(flag: string, text: string): number {
  const ms = timeToMs(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === undefined) throw new TailwatchError('USAGE', `${flag} ${text}: not a time (RFC 3339 or YYYY-MM-DD)`);
  return ms;
}
