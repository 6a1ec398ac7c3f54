// Open enumerations: Tailscale adds values without notice, so unknown ones must parse, yet rule authors
// still get the known values offered by autocompletion.
import { z } from 'zod';

/** One of the known values, or any other string (`string & {}` keeps the literals visible to the editor). */
export type Open<Known extends string> = Known | (string & {});

/** A string schema typed as an open enumeration of `known` (which documents the values seen so far). */
export function openEnum<const Known extends readonly string[]>(known: Known): z.ZodType<Open<Known[number]>, string> {
  return z.string().meta({ examples: [...known] }) as z.ZodType<Open<Known[number]>, string>;
}
