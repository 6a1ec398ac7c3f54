import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePatterns, isCompressedPath } from '../../engine/sources/file-patterns.ts';
import { tempDir } from './harness.ts';

describe('file patterns', () => {
  it('turns globs, directories and plain files into watch roots and a file test', () => {
    const base = tempDir('patterns');
    mkdirSync(join(base, 'sync'));
    const patterns = compilePatterns(['logs/**/*.{ndjson,json,gz,zst}', 'sync', '/var/log/tailscale.ndjson'], base);
    expect(patterns.roots).toEqual([join(base, 'logs'), join(base, 'sync'), '/var/log']);
    expect(patterns.accepts(join(base, 'logs/2024/01/02/a.ndjson'))).toBe(true);
    expect(patterns.accepts(join(base, 'logs/a.zst'))).toBe(true);
    expect(patterns.accepts(join(base, 'logs/a.txt'))).toBe(false);
    expect(patterns.accepts(join(base, 'sync/x/2024-01-02.ndjson.gz'))).toBe(true);
    expect(patterns.accepts(join(base, 'sync/x/2024-01-02.ndjson.partial'))).toBe(false);
    expect(patterns.accepts('/var/log/tailscale.ndjson')).toBe(true);
    expect(patterns.accepts('/var/log/syslog')).toBe(false);
  });

  it('tells compressed files by extension', () => {
    expect(['a.gz', 'a.ndjson.zst', 'a.zstd'].map(isCompressedPath)).toEqual([true, true, true]);
    expect(['a.ndjson', 'a.json', 'gz'].map(isCompressedPath)).toEqual([false, false, false]);
  });
});
