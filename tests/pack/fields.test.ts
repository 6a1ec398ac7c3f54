import { describe, expect, it } from 'vitest';
import { actorLabel, isPerson, valueField } from '../../engine/pack/audit-fields.ts';
import { formatBytes, sourcePortLabel } from '../../engine/pack/flow-fields.ts';

describe('rule-author helpers', () => {
  it('actorLabel names people by login and non-people by type and id', () => {
    expect(actorLabel({ id: 'u1', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' })).toBe('alice@example.com');
    expect(actorLabel({ id: 'u1', type: 'USER', loginName: '', displayName: 'Alice' })).toBe('Alice');
    expect(actorLabel({ id: 'k1', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' })).toBe('OAuth client (OAUTH_CLIENT k1)');
    expect(actorLabel(undefined)).toBe('unknown actor');
    expect(isPerson({ type: 'USER' })).toBe(true);
    expect(isPerson({ type: 'API_KEY' })).toBe(false);
  });

  it('valueField reads string fields of object values only', () => {
    expect(valueField({ provider: 's3', n: 1 }, 'provider')).toBe('s3');
    expect(valueField({ n: 1 }, 'n')).toBe('');
    expect(valueField('s3', 'provider')).toBe('');
    expect(valueField(['provider'], '0')).toBe('');
    expect(valueField(null, 'provider')).toBe('');
  });

  it('formatBytes uses binary units with one decimal', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(10 * 2 ** 30)).toBe('10.0 GiB');
    expect(formatBytes(3 * 2 ** 50)).toBe('3.0 PiB');
  });

  it('sourcePortLabel labels a contributor by source node and destination port', () => {
    const first = sourcePortLabel('laptop-1.example.ts.net', 5432);
    expect(first).toBe('laptop-1.example.ts.net → :5432');
    expect(sourcePortLabel(`laptop-1.${'example.ts.net'}`, 5432)).toBe(first);
    expect(sourcePortLabel('laptop-1.example.ts.net', 443)).toBe('laptop-1.example.ts.net → :443');
    expect(sourcePortLabel('laptop-2.example.ts.net', 443)).toBe('laptop-2.example.ts.net → :443');
    expect(sourcePortLabel('laptop-2.example.ts.net', undefined)).toBe('laptop-2.example.ts.net → :?');
  });

  it('sourcePortLabel stays right past its cache bounds, in sources and in ports per source', () => {
    for (let i = 0; i < 10_000; i++) expect(sourcePortLabel(`node-${i}`, i % 3)).toBe(`node-${i} → :${i % 3}`);
    expect(sourcePortLabel('node-0', 0)).toBe('node-0 → :0');
    expect(sourcePortLabel('node-9999', 2)).toBe('node-9999 → :2');
    for (let port = 0; port < 1000; port++) expect(sourcePortLabel('scanner', port)).toBe(`scanner → :${port}`);
  });
});
