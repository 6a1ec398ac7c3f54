// Reads process.stdin (or any byte stream): any framing, gzip/zstd by magic bytes, batches as records arrive.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { decodeStream } from '../decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { recordBatches } from './record-batches.ts';
import { retryDelaySeconds } from './retry.ts';
import { SourceName, TailnetName, commonOptions } from './source-config.ts';
import type { SourceBuildContext } from './source-config.ts';
import type { BatchHandler, Source, SourceHealth } from './types.ts';

export const StdinSourceConfig = z.strictObject({
  kind: z.literal('stdin'),
  name: SourceName,
  tailnet: TailnetName,
});
export type StdinSourceConfig = z.infer<typeof StdinSourceConfig>;

export function createStdinSource(_config: StdinSourceConfig, context: SourceBuildContext): StdinSource {
  return new StdinSource({ ...commonOptions(context), ...(context.stdin === undefined ? {} : { input: context.stdin }) });
}

export interface StdinSourceOptions {
  name: string;
  /** Default process.stdin. */
  input?: Readable;
  decodeLimits?: Partial<DecodeLimits>;
  /** Default 1000. */
  batchRecords?: number;
  retryMaxSeconds?: number;
  logger?: Logger;
}

export class StdinSource implements Source {
  readonly kind = 'stdin';
  readonly name: string;
  private readonly options: StdinSourceOptions;
  private stopping = false;
  private state: 'idle' | 'reading' | 'ended' | 'failed' = 'idle';
  private failure: string | undefined;
  private reading: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private input: Readable | undefined;

  constructor(options: StdinSourceOptions) {
    this.options = options;
    this.name = options.name;
  }

  /** Resolves when the input has ended and every batch was handled (or the source was stopped). */
  get finished(): Promise<void> {
    return this.reading;
  }

  async start(handler: BatchHandler): Promise<void> {
    this.state = 'reading';
    this.input = this.options.input ?? process.stdin;
    this.reading = this.read(this.input, handler).then(
      () => { this.state = 'ended'; },
      (error: unknown) => {
        // stop() destroys the input: the read failing then is the way out, not a fault.
        if (this.stopping) {
          this.state = 'ended';
          return;
        }
        this.state = 'failed';
        this.failure = error instanceof Error ? error.message : String(error);
        this.options.logger?.error('stdin source failed', { error });
      },
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.input?.destroy();
    await this.reading;
  }

  health(): SourceHealth {
    if (this.state === 'failed') return { ok: false, detail: this.failure ?? 'failed' };
    return { ok: this.state !== 'idle', detail: this.state };
  }

  private async read(input: Readable, handler: BatchHandler): Promise<void> {
    const records = decodeStream(input, 'stdin', this.options.decodeLimits);
    for await (const batch of recordBatches(records, this.options.batchRecords ?? 1000)) {
      await this.deliver(handler, batch);
      if (this.stopping) return;
    }
  }

  /** stdin cannot be read again: a refused batch is retried until it is handled or the source stops. */
  private async deliver(handler: BatchHandler, records: DecodeResult[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handler({ source: this.name, records, checkpoints: [], receivedAtMs: Date.now() });
        return;
      } catch (error) {
        if (this.stopping) throw error;
        const seconds = retryDelaySeconds(error, attempt, this.options.retryMaxSeconds ?? 30);
        this.options.logger?.warn('stdin batch not handled; will retry', { seconds, error });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, seconds * 1000);
          this.wake = () => { clearTimeout(timer); resolve(); };
        });
      }
    }
  }
}
