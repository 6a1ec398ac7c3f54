// `--from` / `--to` (and replay's `--learn-from`) as commands take them: RFC 3339 or YYYY-MM-DD (UTC midnight);
// from must be before to, and learn-from before from.
import { TailwatchError } from '../errors.ts';
import { dateOrTimeToMs } from '../schemas/time.ts';

export function timeRange(args: { from?: string | undefined; to?: string | undefined; learnFrom?: string | undefined }): {
  fromMs?: number;
  toMs?: number;
  learnFromMs?: number;
} {
  const range: { fromMs?: number; toMs?: number; learnFromMs?: number } = {};
  if (args.from !== undefined) range.fromMs = parseBound('--from', args.from);
  if (args.to !== undefined) range.toMs = parseBound('--to', args.to);
  if (range.fromMs !== undefined && range.toMs !== undefined && range.fromMs >= range.toMs) {
    throw new TailwatchError('USAGE', `--from ${args.from} is not before --to ${args.to}: no event could match`);
  }
  if (args.learnFrom !== undefined) {
    range.learnFromMs = parseBound('--learn-from', args.learnFrom);
    if (range.fromMs === undefined || range.learnFromMs >= range.fromMs) {
      throw new TailwatchError('USAGE', `--learn-from ${args.learnFrom} needs a later --from: the events between them are learned`);
    }
  }
  return range;
}

function parseBound(flag: string, text: string): number {
  const ms = dateOrTimeToMs(text);
  if (ms === undefined) throw new TailwatchError('USAGE', `${flag} ${text}: not a time (RFC 3339 or YYYY-MM-DD)`);
  return ms;
}
