// Micro-benchmark of the decode and parse stages against the bare JSON.parse floor, on the generated stream.
// Input is pushed in 64 KiB chunks and results are dropped as they come, as replay does.
// Run: npx node bench/decode.ts [records]
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createFramer, decodeStream } from '../engine/decode/index.ts';
import type { DecodeResult } from '../engine/decode/index.ts';
import { AuditRecord, NetworkRecord, parseRecord } from '../engine/schemas/index.ts';
import { generateStream } from './generate-stream.ts';

const records = Number(process.argv[2] ?? 50_000);
const CHUNK_BYTES = 64 * 1024;
const text = [...generateStream({ records })].join('');
const mixed = Buffer.from(text);
// The floor parses the same records one per line, wrappers removed (as bench/main.ts does).
const flatLines = text.replaceAll('}{"time"', '}\n{"time"').split('\n').filter((line) => line.length > 0)
  .map((line) => JSON.stringify((JSON.parse(line) as { event?: unknown }).event ?? JSON.parse(line)));
const flatBytes = flatLines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
const context = { sourceId: 'bench', sourceLabel: 'bench' };

async function measure(name: string, bytes: number, run: () => number | Promise<number>): Promise<void> {
  let best = Infinity;
  let count = 0;
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    count = await run();
    best = Math.min(best, performance.now() - started);
  }
  console.log(`${name.padEnd(34)} ${(bytes / 1e6 / (best / 1000)).toFixed(0).padStart(5)} MB/s  ${(count / (best / 1000) / 1000).toFixed(0).padStart(5)}k records/s`);
}

function framed(onResult: (result: DecodeResult) => boolean): number {
  const framer = createFramer({ source: 'bench' });
  let count = 0;
  for (let at = 0; at < mixed.length; at += CHUNK_BYTES) for (const result of framer.push(mixed.subarray(at, at + CHUNK_BYTES))) if (onResult(result)) count++;
  for (const result of framer.end()) if (onResult(result)) count++;
  return count;
}

const values: unknown[] = [];
framed((result) => result.ok && values.push(result.value) > 0);
const records_ = values.map((value) => ((value as { event?: unknown }).event ?? value) as Record<string, unknown>);

console.log(`${records} records; mixed stream ${(mixed.length / 1e6).toFixed(1)} MB, flat ${(flatBytes / 1e6).toFixed(1)} MB`);
await measure('floor: JSON.parse per flat line', flatBytes, () => flatLines.reduce((n, line) => (JSON.parse(line) ? n + 1 : n), 0));
await measure('decode: framer', mixed.length, () => framed((result) => result.ok));
await measure('zod safeParse only', mixed.length, () => records_.reduce<number>((n, r) => (('action' in r ? AuditRecord : NetworkRecord).safeParse(r).success ? n + 1 : n), 0));
await measure('parseRecord only', mixed.length, () => values.reduce<number>((n, v) => (parseRecord(v, context).ok ? n + 1 : n), 0));
await measure('decode + parseRecord', mixed.length, () => framed((result) => result.ok && parseRecord(result.value, context).ok));
const gzipped = gzipSync(mixed);
await measure('decodeStream gzip (inflated MB/s)', mixed.length, async () => {
  let count = 0;
  for await (const result of decodeStream(Readable.from([gzipped]), 'bench')) if (result.ok) count++;
  return count;
});
