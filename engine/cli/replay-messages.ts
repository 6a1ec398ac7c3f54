// What the replay worker (replay-worker.ts) tells `tailwatch replay`'s main thread, in stream order.
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
}

export type ReplayMessage =
  | { type: 'inputs'; totalBytes: number | undefined }
  | { type: 'alert'; alert: Alert }
  | { type: 'signal'; signal: Signal }
  | { type: 'reject'; reject: RejectedRecord }
  | { type: 'progress'; bytesRead: number }
  | { type: 'input-error'; message: string }
  | { type: 'done'; stats: ReplayStats };
