// Micro-benchmark of the decode and parse stages against the bare JSON.parse floor, on the generated stream (and on
// the same records as one long HEC body without line breaks).
// Input is pushed in 64 KiB chunks and results are dropped as they come, as replay does. Throughput is per
// CPU second (user + system, best of 7), which other load on the machine disturbs less than wall time.
// Run: npx node bench/decode.ts [records]
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createFramer, decodeStream } from '../engine/decode/index.ts';
import type { DecodeResult, FramerWork } from '../engine/decode/index.ts';
import { AuditRecord, DEFAULT_PARSE_SETTINGS, NetworkRecord, parseRecord } from '../engine/schemas/index.ts';
import { generateStream } from './generate-stream.ts';

const records = Number(process.argv[2] ?? 50_000);
const CHUNK_BYTES = 64 * 1024;
const text = [...generateStream({ records })].join('');
const mixed = Buffer.from(text);
// The floor parses the same records one per line, wrappers removed (as bench/main.ts does).
const flatLines = text.replaceAll('}{"time"', '}\n{"time"').split('\n').filter((line) => line.length > 0)
  .map((line) => JSON.stringify((JSON.parse(line) as { event?: unknown }).event ?? JSON.parse(line)));
const flatBytes = flatLines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 'bench', sourceLabel: 'bench' };

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
let floorMs = 0;

async function measure(name: string, bytes: number, run: () => number | Promise<number>): Promise<void> {
  let best = Infinity;
  let count = 0;
  for (let round = 0; round < 7; round++) {
    const started = cpuMs();
    count = await run();
    best = Math.min(best, cpuMs() - started);
  }
  floorMs ||= best;
  const perSecond = (n: number) => (n / (best / 1000)).toFixed(0).padStart(6);
  console.log(`${name.padEnd(34)} ${perSecond(bytes / 1e6)} MB/s ${perSecond(count)} records/s  ${(floorMs / best).toFixed(2)}× floor`);
}

function framed(onResult: (result: DecodeResult) => boolean, input = mixed): number {
  const framer = createFramer({ source: 'bench' });
  let count = 0;
  for (let at = 0; at < input.length; at += CHUNK_BYTES) for (const result of framer.push(input.subarray(at, at + CHUNK_BYTES))) if (onResult(result)) count++;
  for (const result of framer.end()) if (onResult(result)) count++;
  lastWork = framer.work;
  return count;
}
let lastWork: FramerWork | undefined;

const values: unknown[] = [];
framed((result) => result.ok && values.push(result.value) > 0);
const records_ = values.map((value) => ((value as { event?: unknown }).event ?? value) as Record<string, unknown>);

console.log(`${records} records; mixed stream ${(mixed.length / 1e6).toFixed(1)} MB, flat ${(flatBytes / 1e6).toFixed(1)} MB`);
await measure('floor: JSON.parse per flat line', flatBytes, () => flatLines.reduce((n, line) => (JSON.parse(line) ? n + 1 : n), 0));
await measure('decode: framer', mixed.length, () => framed((result) => result.ok));
await measure('zod safeParse only', mixed.length, () => records_.reduce<number>((n, r) => (('action' in r ? AuditRecord : NetworkRecord).safeParse(r).success ? n + 1 : n), 0));
await measure('parseRecord only', mixed.length, () => values.reduce<number>((n, v) => (parseRecord(v, context).ok ? n + 1 : n), 0));
await measure('decode + parseRecord', mixed.length, () => framed((result) => result.ok && parseRecord(result.value, context).ok));
// The whole stream as one HEC body: every record concatenated, not one line break (framing must stay linear).
const hecBody = Buffer.from(text.replaceAll('\n', ''));
await measure('decode: one long HEC body', hecBody.length, () => framed((result) => result.ok, hecBody));
const work = lastWork;
if (work) console.log(`  (searched ${(work.searchedBytes / hecBody.length).toFixed(2)}× its bytes, copied ${(work.copiedBytes / hecBody.length).toFixed(2)}×, ${work.scannedRecords} records byte-scanned)`);
const gzipped = gzipSync(mixed);
await measure('decodeStream gzip (inflated MB/s)', mixed.length, async () => {
  let count = 0;
  for await (const result of decodeStream(Readable.from([gzipped]), 'bench')) if (result.ok) count++;
  return count;
});
