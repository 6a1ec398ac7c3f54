// What a replay worker (replay-worker.ts) tells `tailwatch replay`'s main thread, in stream order: alerts and signals
// carry the number of the record that produced them, so the main thread can merge several workers' output in order.
import type { Alert } from '../alerts/alert.ts';
import type { Signal } from '../alerts/signal.ts';
import type { RejectedRecord } from '../decode/types.ts';
import type { ReplayStats } from '../pipeline/replay-stats.ts';
import type { RulesConfig } from '../config/rules-config.ts';
import type { ParseSettings } from '../schemas/parse.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';
import type { ReplayArgs } from './replay-command.ts';

/** The worker's input: the command's arguments, what it needs of the config (as data), and what earlier attempts settled. */
export interface ReplayJob {
  args: ReplayArgs;
  config: { rules: RulesConfig; parse: ParseSettings; allowedLatenessMinutes: number; suppressions: SuppressionEntry[]; dataDir: string };
  /** Rules the watchdog stopped in earlier attempts. */
  stopped: string[];
  /** Where stdin was spooled, when the paths name it (a later attempt reads it again). */
  stdinFile: string | undefined;
  /** Which of `count` workers this is (`--workers`): it evaluates that share of the rules (pipeline/rule-shards.ts). */
  shard: { index: number; count: number };
}

/** Late events of one worker, by source: their record numbers, so that events late in two workers count once. */
export type LateRecords = Record<string, number[]>;

export type ReplayMessage =
  | { type: 'inputs'; totalBytes: number | undefined }
  | { type: 'alert'; alert: Alert; at: number }
  | { type: 'signal'; signal: Signal; at: number }
  | { type: 'reject'; reject: RejectedRecord }
  | { type: 'progress'; bytesRead: number; recordsRead: number }
  | { type: 'input-error'; message: string }
  /** `late` with more than one worker; `idle`: a worker whose share of the rules is empty (it read nothing). */
  | { type: 'done'; stats: ReplayStats; late?: LateRecords; idle?: boolean };
