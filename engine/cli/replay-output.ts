// What `tailwatch replay` prints of its worker's messages: alerts and signals on stdout (NDJSON or a table), rejects
// and input errors on stderr (and --rejects FILE), progress. An attempt after the watchdog stopped a rule prints only
// what the earlier attempts did not.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Alert } from '../alerts/alert.ts';
import type { RejectedRecord } from '../decode/types.ts';
import type { ReplayStats } from '../pipeline/replay-stats.ts';
import { alertTableHeader, alertTableRow, signalTableRow } from './alert-table.ts';
import { createProgressBar } from './progress-bar.ts';
import type { ProgressBar } from './progress-bar.ts';
import type { ReplayMessage } from './replay-messages.ts';

/** Rejects printed on stderr; past this many, only --rejects FILE holds them all. */
const REJECTS_SHOWN = 100;

export interface ReplayOutputOptions {
  format: 'json' | 'text' | undefined;
  progress: boolean | undefined;
  rejects: string | undefined;
  /** Keep the alerts for --deliver. */
  keepAlerts: boolean;
}

export class ReplayOutput {
  readonly delivered: Alert[] = [];
  stats: ReplayStats | undefined;
  readonly #format: 'json' | 'text';
  readonly #showProgress: boolean;
  readonly #rejectsPath: string | undefined;
  readonly #keepAlerts: boolean;
  #rejectsFile: WriteStream | undefined;
  #progress: ProgressBar | undefined;
  #rejectsShown = 0;
  readonly #alerts = new Set<string>();
  readonly #signals = new Set<string>();
  readonly #inputErrors = new Set<string>();
  #rejects = 0;
  #rejectsThisAttempt = 0;

  constructor(options: ReplayOutputOptions) {
    this.#format = options.format ?? (process.stdout.isTTY ? 'text' : 'json');
    this.#showProgress = options.progress ?? process.stderr.isTTY === true;
    this.#rejectsPath = options.rejects;
    this.#keepAlerts = options.keepAlerts;
  }

  begin(): void {
    if (this.#rejectsPath !== undefined) this.#rejectsFile = createWriteStream(this.#rejectsPath);
    if (this.#format === 'text') process.stdout.write(`${alertTableHeader()}\n`);
  }

  /** A new attempt reads everything again. */
  restart(): void {
    this.#rejectsThisAttempt = 0;
  }

  readonly onMessage = (message: ReplayMessage): void => {
    switch (message.type) {
      case 'inputs':
        if (this.#showProgress) this.#progress ??= createProgressBar(process.stderr, message.totalBytes);
        return;
      case 'progress':
        this.#progress?.update(message.bytesRead);
        return;
      case 'alert': {
        const { alert } = message;
        if (this.#alerts.has(alert.alertId)) return;
        this.#alerts.add(alert.alertId);
        this.#stdout(this.#format === 'json' ? JSON.stringify(alert) : alertTableRow(alert));
        if (this.#keepAlerts) this.delivered.push(alert);
        return;
      }
      case 'signal': {
        // By id: a later attempt's copy differs in its event's p_row_id.
        const key = message.signal.signalId;
        if (this.#signals.has(key)) return;
        this.#signals.add(key);
        this.#stdout(this.#format === 'json' ? JSON.stringify({ type: 'SIGNAL', ...message.signal }) : signalTableRow(message.signal));
        return;
      }
      case 'reject':
        // Stopped rules still validate their log types, so every attempt rejects the same records in the same order.
        this.#rejectsThisAttempt += 1;
        if (this.#rejectsThisAttempt <= this.#rejects) return;
        this.#rejects += 1;
        this.#rejectsFile?.write(`${JSON.stringify(rejectLine(message.reject))}\n`);
        if (this.#rejectsShown++ < REJECTS_SHOWN) this.note(`rejected (${message.reject.reason}): ${message.reject.message}`);
        return;
      case 'input-error':
        if (this.#inputErrors.has(message.message)) return;
        this.#inputErrors.add(message.message);
        this.note(`tailwatch: ${message.message}`);
        return;
      case 'done':
        this.stats = message.stats;
    }
  };

  /** A line on stderr, clear of the progress bar. */
  note(line: string): void {
    this.#progress?.clear();
    process.stderr.write(`${line}\n`);
  }

  async end(): Promise<void> {
    this.#progress?.done();
    if (this.#rejectsFile !== undefined) {
      this.#rejectsFile.end();
      await once(this.#rejectsFile, 'close');
    }
    if (this.#rejectsShown > REJECTS_SHOWN) {
      const where = this.#rejectsPath === undefined ? ' (--rejects FILE keeps them all)' : ` in ${this.#rejectsPath}`;
      process.stderr.write(`... ${this.#rejectsShown - REJECTS_SHOWN} more rejects${where}\n`);
    }
  }

  #stdout(line: string): void {
    this.#progress?.clear();
    process.stdout.write(`${line}\n`);
  }
}

function rejectLine(reject: RejectedRecord): Record<string, unknown> {
  return { ...reject.position, reason: reject.reason, message: reject.message, raw: reject.raw };
}
