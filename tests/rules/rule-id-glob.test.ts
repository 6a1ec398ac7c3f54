import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, mayHoldMatchingRule } from '../../engine/rules/rule-id-glob.ts';
import { ruleFileName } from '../../engine/rules/rule-file-name.ts';

const segment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/);
const ruleId = fc.tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 5 })).map(([tailscale, parts]) => [...(tailscale ? ['Tailscale'] : []), ...parts].join('.'));

/** A pattern that matches the id: some characters replaced by `?`, some runs by `*`, the case changed at random. */
const matchingPattern = (id: string) =>
  fc.array(fc.constantFrom('keep', 'upper', 'lower', 'one', 'star'), { minLength: id.length, maxLength: id.length }).map((edits) =>
    id
      .split('')
      .map((char, i) => ({ keep: char, upper: char.toUpperCase(), lower: char.toLowerCase(), one: '?', star: '*' })[edits[i] ?? 'keep'])
      .join('')
      .replace(/\*+/g, '*'),
  );

describe('mayHoldMatchingRule', () => {
  it('never rules out the file of a rule whose id the pattern matches', () => {
    fc.assert(
      fc.property(
        ruleId.chain((id) => fc.tuple(fc.constant(id), matchingPattern(id))),
        ([id, pattern]) => {
          expect(compileGlob(pattern)(id)).toBe(true);
          expect(mayHoldMatchingRule(ruleFileName(id), [pattern])).toBe(true);
        },
      ),
    );
  });

  it('rules out files of other rules', () => {
    expect(mayHoldMatchingRule('magic-dns-disabled', ['Tailscale.HTTPS.Disabled'])).toBe(false);
    expect(mayHoldMatchingRule('https-disabled', ['Tailscale.Magic.*'])).toBe(false);
    expect(mayHoldMatchingRule('magic-dns-disabled', ['Tailscale.HTTPS.Disabled', 'tailscale.magic.*'])).toBe(true);
  });
});
