import { describe, expect, it } from 'vitest';
import { createFramer } from '../../engine/decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../../engine/decode/index.ts';

function frame(input: string | Buffer, limits?: Partial<DecodeLimits>): DecodeResult[] {
  const framer = createFramer({ source: 'test.ndjson', ...(limits ? { limits } : {}) });
  return [...framer.push(Buffer.from(input)), ...framer.end()];
}

function frameBytewise(input: string | Buffer, limits?: Partial<DecodeLimits>): DecodeResult[] {
  const framer = createFramer({ source: 'test.ndjson', ...(limits ? { limits } : {}) });
  const bytes = Buffer.from(input);
  const results: DecodeResult[] = [];
  for (let i = 0; i < bytes.length; i++) results.push(...framer.push(bytes.subarray(i, i + 1)));
  return [...results, ...framer.end()];
}

/** A compact view: value for records, reason@line for rejects. */
function summary(results: DecodeResult[]): unknown[] {
  return results.map((r) => (r.ok ? r.value : `${r.reason}@${r.position.line}`));
}

describe('createFramer: NDJSON', () => {
  it('yields one record per line with its line and byte offset', () => {
    const results = frame('{"a":1}\n{"b":2}\r\n\n  {"c":3}\n');
    expect(results).toEqual([
      { ok: true, value: { a: 1 }, position: { source: 'test.ndjson', line: 1, offset: 0 } },
      { ok: true, value: { b: 2 }, position: { source: 'test.ndjson', line: 2, offset: 8 } },
      { ok: true, value: { c: 3 }, position: { source: 'test.ndjson', line: 4, offset: 20 } },
    ]);
  });

  it('handles empty input, blank lines and a UTF-8 BOM', () => {
    expect(frame('')).toEqual([]);
    expect(frame('\n \r\n\t\n')).toEqual([]);
    expect(summary(frame('\uFEFF{"a":1}\n'))).toEqual([{ a: 1 }]);
    expect(frame('\uFEFF{"a":1}\n')[0]!.position.offset).toBe(3);
  });

  it('decodes UTF-8 text correctly, also when a character is split across chunks', () => {
    const text = '{"name":"Zoë 🚀 日本"}\n';
    expect(summary(frame(text))).toEqual([{ name: 'Zoë 🚀 日本' }]);
    expect(summary(frameBytewise(text))).toEqual([{ name: 'Zoë 🚀 日本' }]);
  });

  it('keeps every good record around malformed lines and rejects each bad line alone', () => {
    const input = [
      '{"n":1}',
      '{"n": tru}',
      '{"n":"unterminated',
      '{"n":2}',
      'plain garbage text',
      '{"n":3',
      '{"n":4}',
      '42',
      '{"n":5}',
    ].join('\n');
    const results = frame(input);
    expect(summary(results)).toEqual([
      { n: 1 }, 'invalid_json@2', 'invalid_json@3', { n: 2 }, 'invalid_json@5', 'invalid_json@6', { n: 4 }, 'not_an_object@8', { n: 5 },
    ]);
    expect(summary(frameBytewise(input))).toEqual(summary(results));
    const bad = results.filter((r) => !r.ok);
    expect(bad.map((r) => r.raw)).toEqual(['{"n": tru}', '{"n":"unterminated', 'plain garbage text', '{"n":3', '42']);
    expect(bad[0]!.message).toMatch(/^test\.ndjson:2: invalid JSON/);
  });

  it('rejects only the first line of a value that breaks or ends on a later line, and reads on from the next line', () => {
    const input = ['{"a":1}', '{"broken": ', '{"b":2}', '{"c": [1,', '{"d":4}', '{"cut": ', '{"e":5}', '{"last": '].join('\n');
    const results = frame(input);
    expect(summary(results)).toEqual([{ a: 1 }, 'invalid_json@2', { b: 2 }, 'invalid_json@4', { d: 4 }, 'invalid_json@6', { e: 5 }, 'truncated@8']);
    expect(results[1]).toMatchObject({ raw: '{"broken":', position: { offset: 8 }, message: 'test.ndjson:2: invalid JSON: the line ends before the value is complete' });
    expect(summary(frameBytewise(input))).toEqual(summary(results));
    // A valid value spread over lines is still one record.
    expect(summary(frame('{"a":\n  [1,\n   2]\n}\n{"b":2}'))).toEqual([{ a: [1, 2] }, { b: 2 }]);
  });

  it('rejects top-level values that are not objects', () => {
    const results = frame('123\n"text"\nnull\ntrue\n{"ok":1}\n');
    expect(summary(results)).toEqual(['not_an_object@1', 'not_an_object@2', 'not_an_object@3', 'not_an_object@4', { ok: 1 }]);
    expect(results[1]).toMatchObject({ ok: false, message: 'test.ndjson:2: record is a string, not a JSON object' });
  });

  it('rejects a record cut off by the end of input as truncated', () => {
    const results = frame('{"a":1}\n{"b":{"c":[1,2');
    expect(summary(results)).toEqual([{ a: 1 }, 'truncated@2']);
    expect(results[1]).toMatchObject({ raw: '{"b":{"c":[1,2', position: { offset: 8 } });
  });

  it('holds a partial record until more bytes arrive, and consumedOffset stays before it', () => {
    const framer = createFramer({ source: 's' });
    expect(framer.push(Buffer.from('{"a":1}\n{"b":'))).toHaveLength(1);
    expect(framer.consumedOffset).toBe(8);
    expect(framer.consumedLine).toBe(2);
    expect(framer.push(Buffer.from('2}\n'))).toEqual([{ ok: true, value: { b: 2 }, position: { source: 's', line: 2, offset: 8 } }]);
    expect(framer.consumedOffset).toBe(16);
    expect(framer.consumedLine).toBe(3);
    expect(framer.end()).toEqual([]);
  });

  it('resumes from a checkpoint with continuous positions', () => {
    const input = Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n');
    const first = createFramer({ source: 's' });
    first.push(input.subarray(0, 12));
    const resumed = createFramer({ source: 's', startOffset: first.consumedOffset, startLine: first.consumedLine });
    const results = [...resumed.push(input.subarray(first.consumedOffset)), ...resumed.end()];
    expect(results.map((r) => r.position)).toEqual([
      { source: 's', line: 2, offset: 8 },
      { source: 's', line: 3, offset: 16 },
    ]);
  });

  it('does not depend on the caller keeping its chunk memory intact', () => {
    const framer = createFramer({ source: 's' });
    const reused = Buffer.alloc(6);
    const results: DecodeResult[] = [];
    for (const piece of ['{"a":1', '}\n{"b"', ':2}\n']) {
      reused.fill(0x20);
      reused.write(piece);
      results.push(...framer.push(reused.subarray(0, piece.length)));
    }
    expect(summary([...results, ...framer.end()])).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('createFramer: concatenated JSON (HEC bodies)', () => {
  const body = '{"time":1.5,"event":{"a":"x}{y"}}{"time":2,"event":{"b":[1,{"c":2}]}} {"d":"\\"}{"}\n{"e":5}';
  const expected = [
    { time: 1.5, event: { a: 'x}{y' } },
    { time: 2, event: { b: [1, { c: 2 }] } },
    { d: '"}{' },
    { e: 5 },
  ];

  it('splits values with no separator, even with }{ inside strings', () => {
    expect(summary(frame(body))).toEqual(expected);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    expect(summary(frameBytewise(body))).toEqual(expected);
    const bytes = Buffer.from(body);
    const offsets = [0, body.indexOf('{"time":2'), body.indexOf('{"d"'), body.indexOf('{"e"')];
    for (let cut = 1; cut < bytes.length; cut++) {
      const framer = createFramer({ source: 's' });
      const results = [...framer.push(bytes.subarray(0, cut)), ...framer.push(bytes.subarray(cut)), ...framer.end()];
      expect(summary(results)).toEqual(expected);
      expect(results.map((r) => r.position.offset)).toEqual(offsets);
    }
  });

  it('resynchronises at the next object after an invalid one', () => {
    expect(summary(frame('{"a":1}{"b":tru}{"c":2}{"d":[1,2}{"e":3}\n{"f":4}'))).toEqual([
      { a: 1 }, 'invalid_json@1', { c: 2 }, 'invalid_json@1', { e: 3 }, { f: 4 },
    ]);
  });
});

describe('createFramer: JSON arrays', () => {
  it('yields each element of a one-line array as a record', () => {
    const input = '[{"a":1},{"b":2}]\n[]\n[{"c":3}]';
    expect(summary(frame(input))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(summary(frameBytewise(input))).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('emits an element as soon as it is complete, without waiting for a line break', () => {
    const framer = createFramer({ source: 's' });
    expect(summary(framer.push(Buffer.from('[{"a":1},{"b"')))).toEqual([{ a: 1 }]);
    expect(framer.consumedOffset).toBe(9);
  });

  it('handles pretty-printed arrays with element positions', () => {
    const input = '[\n  {\n    "a": 1\n  },\n  {"b": {"c": [1, 2]}},\n  {"d": 3}\n]\n{"e": 4}\n';
    const results = frame(input);
    expect(summary(results)).toEqual([{ a: 1 }, { b: { c: [1, 2] } }, { d: 3 }, { e: 4 }]);
    expect(results.map((r) => r.position.line)).toEqual([2, 5, 6, 8]);
    expect(summary(frameBytewise(input))).toEqual(summary(results));
  });

  it('rejects elements that are not objects, alone', () => {
    expect(summary(frame('[1, {"a":1}, "x", [2], nul, {"b":2}]'))).toEqual([
      'not_an_object@1', { a: 1 }, 'not_an_object@1', 'not_an_object@1', 'invalid_json@1', { b: 2 },
    ]);
  });
});

describe('createFramer: limits', () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('rejects nesting deeper than maxDepth, on one line or spread over lines', () => {
    const input = `${deep(5)}\n${deep(6)}\n{"ok":1}\n${deep(6).replaceAll(':', ':\n')}\n{"ok":2}`;
    const results = frame(input, { maxDepth: 5 });
    expect(summary(results)).toEqual([JSON.parse(deep(5)), 'too_deep@2', { ok: 1 }, 'too_deep@4', { ok: 2 }]);
    expect(results[1]).toMatchObject({ message: 'test.ndjson:2: nesting deeper than maxDepth (5)' });
  });

  it('rejects absurd nesting without crashing (default maxDepth 64)', () => {
    const input = `${'['.repeat(100_000)}${']'.repeat(100_000)}\n{"ok":1}\n${deep(100_000)}\n{"ok":2}`;
    expect(summary(frame(input))).toEqual(['too_deep@1', { ok: 1 }, 'too_deep@3', { ok: 2 }]);
  });

  it('rejects a record over maxRecordBytes, keeps ~1 KB of it and goes on', () => {
    const big = JSON.stringify({ blob: 'x'.repeat(5000) });
    const input = `{"a":1}\n${big}\n{"b":2}\n${big}${big}{"c":3}`;
    const results = frame(input, { maxRecordBytes: 1000 });
    expect(summary(results)).toEqual([{ a: 1 }, 'too_large@2', { b: 2 }, 'too_large@4', 'too_large@4', { c: 3 }]);
    const rejected = results[1]!;
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) {
      expect(rejected.raw).toBe(big.slice(0, 1024));
      expect(rejected.message).toBe('test.ndjson:2: record larger than maxRecordBytes (1000)');
    }
    expect(summary(frameBytewise(input, { maxRecordBytes: 1000 }))).toEqual(summary(results));
  });

  it('skips an oversized record streamed in chunks and reports where it started', () => {
    const framer = createFramer({ source: 's', limits: { maxRecordBytes: 64 * 1024 } });
    const results: DecodeResult[] = [...framer.push(Buffer.from('{"a":1}\n{"blob":"'))];
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let i = 0; i < 200; i++) results.push(...framer.push(chunk));
    expect(framer.consumedOffset).toBe(8);
    results.push(...framer.push(Buffer.from('"}\n{"b":2}\n')), ...framer.end());
    expect(summary(results)).toEqual([{ a: 1 }, 'too_large@2', { b: 2 }]);
    expect(results[1]!.position.offset).toBe(8);
    expect(results[2]!.position.offset).toBe(8 + 9 + 200 * 64 * 1024 + 3);
  });
});
