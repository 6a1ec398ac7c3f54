// Rule authors see exactly the documented fields of an event: a misspelt field is a type error. At run time the
// records keep every field Tailscale sent (looseObject); extraField reads one that is not documented.

type Primitive = string | number | bigint | boolean | symbol | null | undefined;

/** `T` without index signatures, at every level: what z.looseObject infers, minus `[key: string]: unknown`. */
export type Documented<T> = unknown extends T
  ? T
  : T extends Primitive
    ? T
    : T extends readonly (infer Item)[]
      ? Documented<Item>[]
      : { [K in keyof T as string extends K ? never : K]: Documented<T[K]> };

/**
 * A field Tailscale sent that the schema does not document (`extraField(e.event.actor, 'nodeName')`), or
 * undefined. A documented field is refused at compile time: read it directly, typed.
 */
export function extraField<T extends object, const Name extends string>(
  record: T | undefined,
  name: Name extends keyof T ? `${Name} is documented: read it directly` : Name,
): unknown {
  return record !== undefined && Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}
