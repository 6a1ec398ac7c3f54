// Micro-benchmark of the decode and parse stages against the bare JSON.parse floor, on the generated stream.
// Run: npx node bench/decode.ts [records]
import { gzipSync } from 'node:zlib';
import { decodeBuffer } from '../engine/decode/index.ts';
import { parseRecord } from '../engine/schemas/index.ts';
import { AuditRecord, NetworkRecord } from '../engine/schemas/index.ts';
import { generateStream } from './generate-stream.ts';

const records = Number(process.argv[2] ?? 50_000);
const text = [...generateStream({ records })].join('');
const mixed = Buffer.from(text);
// The floor parses the same records one per line, wrappers removed (as bench/main.ts does).
const flatLines = text.replaceAll('}{"time"', '}\n{"time"').split('\n').filter((line) => line.length > 0)
  .map((line) => JSON.stringify((JSON.parse(line) as { event?: unknown }).event ?? JSON.parse(line)));
const flatBytes = flatLines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

function measure(name: string, bytes: number, run: () => number): void {
  let best = Infinity;
  let count = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    count = run();
    best = Math.min(best, performance.now() - started);
  }
  console.log(`${name.padEnd(36)} ${(bytes / 1e6 / (best / 1000)).toFixed(0).padStart(5)} MB/s  ${(count / (best / 1000) / 1000).toFixed(0).padStart(5)}k rec/s`);
}

console.log(`${records} records, mixed ${(mixed.length / 1e6).toFixed(1)} MB, flat ${(flatBytes / 1e6).toFixed(1)} MB`);
measure('floor: JSON.parse per flat line', flatBytes, () => {
  let n = 0;
  for (const line of flatLines) if (JSON.parse(line)) n++;
  return n;
});
measure('decodeBuffer (mixed)', mixed.length, () => decodeBuffer(mixed, 'bench').length);
const decoded = decodeBuffer(mixed, 'bench').map((r) => (r.ok ? r.value : undefined));
const inner = decoded.map((v) => ((v as { event?: unknown }).event ?? v) as Record<string, unknown>);
measure('zod safeParse only', mixed.length, () => {
  let n = 0;
  for (const v of inner) if (('action' in v ? AuditRecord : NetworkRecord).safeParse(v).success) n++;
  return n;
});
measure('parseRecord only', mixed.length, () => {
  let n = 0;
  for (const v of decoded) if (parseRecord(v, { sourceId: 'b', sourceLabel: 'b', nowMs: 0 }).ok) n++;
  return n;
});
measure('decodeBuffer + parseRecord', mixed.length, () => {
  let n = 0;
  for (const r of decodeBuffer(mixed, 'bench')) if (r.ok && parseRecord(r.value, { sourceId: 'b', sourceLabel: 'b' }).ok) n++;
  return n;
});
const gz = gzipSync(mixed);
measure('decodeBuffer (gzip, MB inflated)', mixed.length, () => decodeBuffer(gz, 'bench').length);
