import { describe, expect, it } from 'vitest';
import { SourceConfig } from '../../engine/config/schema.ts';

describe('source schemas', () => {
  it('applies defaults per kind', () => {
    expect(SourceConfig.parse({ kind: 'hec', tokens: [{ env: 'T' }] })).toEqual({
      kind: 'hec', listen: '127.0.0.1:8088', tokens: [{ env: 'T' }], maxBodyBytes: 10 * 2 ** 20,
    });
    expect(SourceConfig.parse({ kind: 's3', bucket: 'logs' })).toEqual({
      kind: 's3', bucket: 'logs', prefix: '', region: 'us-east-1', pollSeconds: 60,
    });
  });

  it('rejects literal tokens, bad listen addresses and unknown kinds', () => {
    expect(SourceConfig.safeParse({ kind: 'hec', tokens: ['literal'] }).success).toBe(false);
    expect(SourceConfig.safeParse({ kind: 'hec', tokens: [{ env: 'T' }], listen: '8088' }).success).toBe(false);
    expect(SourceConfig.safeParse({ kind: 'hec', tokens: [{ env: 'T' }], listen: '[::1]:8088' }).success).toBe(true);
    expect(SourceConfig.safeParse({ kind: 'kafka' }).success).toBe(false);
  });
});
