import { describe, expect, it } from 'vitest';
import { GenerationCache } from '../../engine/schemas/generation-cache.ts';

describe('GenerationCache', () => {
  it('computes a value once while it is in one of the last two generations, then forgets it', () => {
    const computed: string[] = [];
    const cache = new GenerationCache<string, string>(2);
    const get = (key: string) => cache.get(key, (k) => (computed.push(k), k.toUpperCase()));
    expect([get('a'), get('b'), get('a')]).toEqual(['A', 'B', 'A']);
    expect(computed).toEqual(['a', 'b']);
    // c starts a new generation; a and b are still read from the previous one (and move back).
    get('c');
    get('a');
    expect(computed).toEqual(['a', 'b', 'c']);
    // a second rollover drops b, which was never read again.
    get('d');
    get('e');
    get('b');
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'e', 'b']);
  });
});
