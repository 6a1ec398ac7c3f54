// The framer's work stays linear in its input: counted, not timed. A long HEC body (records concatenated with no
// line break) once made every record search the rest of the buffer and every push copy what was buffered.
import { describe, expect, it } from 'vitest';
import { createFramer } from '../../engine/decode/index.ts';
import type { DecodeResult, Framer } from '../../engine/decode/index.ts';

const envelope = (i: number) =>
  JSON.stringify({ time: 1780500776 + i / 1000, event: { nodeId: `n${i}`, start: 's', end: 'e', virtualTraffic: [{ src: '100.64.0.1:5', dst: '100.64.0.2:22', txBytes: i }] } });

function pushAll(framer: Framer, input: Buffer, chunkBytes: number, onPush: () => void = () => {}): DecodeResult[] {
  const results: DecodeResult[] = [];
  for (let at = 0; at < input.length; at += chunkBytes) {
    results.push(...framer.push(input.subarray(at, at + chunkBytes)));
    onPush();
  }
  return [...results, ...framer.end()];
}

describe('createFramer: work is linear in the input', () => {
  const records = 20_000;
  const body = Buffer.from(Array.from({ length: records }, (_, i) => envelope(i)).join(''));
  const longest = Math.max(...Array.from({ length: records }, (_, i) => Buffer.byteLength(envelope(i))));

  it('a HEC body with no line break: each byte searched once, only the unfinished record copied, no byte scan', () => {
    for (const chunkBytes of [64 * 1024, 1000, body.length]) {
      const framer = createFramer({ source: 'hec' });
      const results = pushAll(framer, body, chunkBytes);
      expect(results).toHaveLength(records);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(results[records - 1]).toMatchObject({ value: { event: { nodeId: `n${records - 1}` } }, position: { line: 1 } });
      expect(framer.work.scannedRecords).toBe(0);
      // Two searches (line break, `}{`), each covering every byte at most once.
      expect(framer.work.searchedBytes).toBeLessThanOrEqual(2 * body.length);
      // Per push at most the unfinished record (< one record) is copied, plus the chunk it is joined with.
      const pushes = Math.ceil(body.length / chunkBytes);
      expect(framer.work.copiedBytes).toBeLessThanOrEqual(body.length + 2 * pushes * longest);
    }
  });

  it('NDJSON and mixed lines: the same bounds', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? envelope(i) + envelope(i + 1) : envelope(i))).join('\n');
    const input = Buffer.from(lines);
    const framer = createFramer({ source: 'mixed' });
    const results = pushAll(framer, input, 4096);
    expect(results.filter((r) => r.ok)).toHaveLength(5000 + Math.ceil(5000 / 3));
    expect(framer.work.scannedRecords).toBe(0);
    expect(framer.work.searchedBytes).toBeLessThanOrEqual(2 * input.length);
    expect(framer.work.copiedBytes).toBeLessThanOrEqual(input.length + 2 * Math.ceil(input.length / 4096) * 2 * longest);
  });

  it('a `}{` inside a string sends only that record to the scanner', () => {
    const tricky = JSON.stringify({ time: 1, event: { note: 'a}{b' } });
    const input = Buffer.from(envelope(1) + tricky + envelope(2) + envelope(3));
    const framer = createFramer({ source: 'hec' });
    const results = pushAll(framer, input, input.length);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(framer.work.scannedRecords).toBe(1);
  });
});
