// Reads an HTTP request body under limits: body bytes, decompressed bytes (gzip bombs stop at the cap), a read
// deadline and a minimum rate (slow senders lose their slot), no buffering; the consumer may pause it.
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, createZstdDecompress } from 'node:zlib';
import type { Transform } from 'node:stream';

export interface BodyLimits {
  /** Bytes on the wire. */
  maxBodyBytes: number;
  /** Bytes after Content-Encoding is undone. */
  maxDecompressedBytes: number;
  /** Time the sender gets to send the whole body. */
  bodyTimeoutSeconds: number;
  /** Below this average rate, past the first RATE_GRACE_MS of reading, the body is cut. */
  minBodyBytesPerSecond: number;
}

/** A sender's first bytes may take a moment (TLS proxy, 100-continue): the rate is judged after this. */
const RATE_GRACE_MS = 2_000;
const WATCHDOG_MS = 250;

export type BodyFailure =
  | 'body_too_large'
  | 'decompressed_too_large'
  | 'decompress_failed'
  | 'unsupported_encoding'
  | 'refused'
  | 'body_timeout'
  | 'too_slow'
  | 'aborted';

export type BodyOutcome =
  | { ok: true; bodyBytes: number; decompressedBytes: number }
  | { ok: false; reason: BodyFailure; message: string };

type Inflater = () => Transform;

// 64 KiB output chunks (zlib's default is 16 KiB): fewer, larger pushes into the framer.
const CHUNK_BYTES = 64 * 1024;
const gunzip: Inflater = () => createGunzip({ chunkSize: CHUNK_BYTES });
const inflate: Inflater = () => createInflate({ chunkSize: CHUNK_BYTES });
const unzstd: Inflater = () => createZstdDecompress({ chunkSize: CHUNK_BYTES });

const INFLATERS: Record<string, Inflater | null> = {
  identity: null,
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  zstd: unzstd,
};

/** false stops reading (`refused`); a promise pauses reading until it settles (then false stops it too). */
export type OnBodyData = (chunk: Buffer) => boolean | Promise<boolean>;

/**
 * Streams the body's decompressed bytes to onData as they arrive. The deadline and the rate are judged on `clock`
 * (milliseconds), which stands still while the receiver is busy elsewhere: only the sender's time counts. On failure the request is left paused and unread:
 * answer with `Connection: close`. A body with no Content-Encoding but gzip/zstd magic bytes is inflated.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits, onData: OnBodyData, clock: () => number): Promise<BodyOutcome> {
  const header = req.headers['content-encoding']?.trim().toLowerCase() ?? '';
  const declared = header === '' ? undefined : INFLATERS[header];
  if (declared === undefined && header !== '') {
    return Promise.resolve({ ok: false, reason: 'unsupported_encoding', message: `Content-Encoding "${header}" is not supported` });
  }
  return new Promise((resolve) => {
    let bodyBytes = 0;
    let decompressedBytes = 0;
    let inflater: Transform | undefined;
    let sniffed = header !== '';
    let settled = false;
    const startedAt = clock();
    const watchdog = setInterval(() => {
      const elapsedMs = clock() - startedAt;
      if (elapsedMs > limits.bodyTimeoutSeconds * 1000) {
        fail('body_timeout', `body not received within ${limits.bodyTimeoutSeconds} s`);
      } else if (elapsedMs > RATE_GRACE_MS && (bodyBytes * 1000) / elapsedMs < limits.minBodyBytesPerSecond) {
        fail('too_slow', `body arrives slower than ${limits.minBodyBytesPerSecond} bytes/s`);
      }
    }, WATCHDOG_MS);
    const pause = (): void => {
      (inflater ?? req).pause();
    };
    const resume = (): void => {
      (inflater ?? req).resume();
    };

    const finish = (outcome: BodyOutcome): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      req.off('data', onChunk);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (!outcome.ok) {
        req.pause();
        inflater?.destroy();
      }
      resolve(outcome);
    };
    const fail = (reason: BodyFailure, message: string): void => finish({ ok: false, reason, message });

    const deliver = (chunk: Buffer): void => {
      if (settled) return;
      decompressedBytes += chunk.length;
      if (decompressedBytes > limits.maxDecompressedBytes) {
        fail('decompressed_too_large', `body inflates past ${limits.maxDecompressedBytes} bytes`);
        return;
      }
      const next = onData(chunk);
      if (next === true) return;
      if (next === false) return fail('refused', 'the receiver is full');
      pause();
      next.then(
        (go) => {
          if (settled) return;
          if (go) resume();
          else fail('refused', 'the receiver is full');
        },
        (error: unknown) => fail('refused', `the receiver failed: ${String(error)}`),
      );
    };

    const startInflater = (make: Inflater): void => {
      const stream = make();
      stream.on('data', deliver);
      stream.on('error', (error: Error) => fail('decompress_failed', `cannot decompress body: ${error.message}`));
      stream.on('end', () => finish({ ok: true, bodyBytes, decompressedBytes }));
      stream.on('drain', () => req.resume());
      inflater = stream;
    };
    if (declared !== undefined && declared !== null) startInflater(declared);

    function onChunk(chunk: Buffer): void {
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxBodyBytes) {
        fail('body_too_large', `body exceeds ${limits.maxBodyBytes} bytes`);
        return;
      }
      if (!sniffed) {
        sniffed = true;
        const magic = sniffCompression(chunk);
        if (magic !== undefined) startInflater(magic);
      }
      if (inflater === undefined) deliver(chunk);
      else if (!inflater.write(chunk)) req.pause();
    }
    function onEnd(): void {
      if (inflater === undefined) finish({ ok: true, bodyBytes, decompressedBytes });
      else inflater.end();
    }
    function onError(error: Error): void {
      fail('aborted', `request failed: ${error.message}`);
    }
    function onClose(): void {
      if (!req.complete) fail('aborted', 'client closed the connection before the body ended');
    }
    req.on('data', onChunk);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function sniffCompression(chunk: Buffer): Inflater | undefined {
  if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) return gunzip;
  if (chunk.length >= 4 && chunk.readUInt32LE(0) === 0xfd2fb528) return unzstd;
  return undefined;
}
