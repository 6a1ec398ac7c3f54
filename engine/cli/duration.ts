// Durations as `--for` takes them: a number and a unit, `30m`, `4h`, `2d`, `1w`.
import { TailwatchError } from '../errors.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function durationMs(flag: string, text: string): number {
  const found = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(text.trim());
  const ms = found === null ? NaN : Number(found[1]) * (UNIT_MS[found[2] ?? ''] ?? NaN);
  if (!(ms > 0)) throw new TailwatchError('USAGE', `${flag} ${text}: not a duration (a number and m, h, d or w: 30m, 4h, 2d, 1w)`);
  return ms;
}
