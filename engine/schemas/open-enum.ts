// Open enumerations: Tailscale adds values without notice, so unknown ones must parse, yet rule authors get the known
// values offered by autocompletion, and a typo in a literal (`action === 'DELETED'`) is a type error.
import { z } from 'zod';

/**
 * Any value outside the known list. At run time it is a plain string; at compile time no string literal matches it,
 * so comparing an open enumeration with a literal that is not in its list does not compile. Match such a value
 * on purpose with isUnlisted.
 */
export type Unlisted = `${string} (not a known value: match it with isUnlisted)`;

/** One of the known values, or a value Tailscale added since (see Unlisted). */
export type Open<Known extends string> = Known | Unlisted;

/** A string schema typed as an open enumeration of `known` (which documents the values seen so far). */
export function openEnum<const Known extends readonly string[]>(known: Known): z.ZodType<Open<Known[number]>, string> {
  return z.string().meta({ examples: [...known] }) as z.ZodType<Open<Known[number]>, string>;
}

/**
 * True when an open-enumeration value is `candidate`, a value outside its known list:
 * `isUnlisted(e.event.action, 'PURGE')`. A known value is refused at compile time (compare it with ===).
 */
export function isUnlisted<Known extends string, const Candidate extends string>(
  value: Open<Known> | undefined,
  candidate: Candidate extends Known ? `${Candidate} is a known value: compare it with ===` : Candidate,
): boolean {
  return value === candidate;
}
