// Small readers for audit records that the shipped rules (and rule authors) use in titles and predicates.

export interface ActorLike {
  id?: string | undefined;
  type?: string | undefined;
  loginName?: string | undefined;
  displayName?: string | undefined;
}

/** A person (USER) acted, as opposed to an OAuth client, API key, node or automation. */
export function isPerson(actor: ActorLike | undefined): boolean {
  return actor?.type === 'USER';
}

/** Who acted, for titles: login, else display name, else id; a non-person also names its type and id. */
export function actorLabel(actor: ActorLike | undefined): string {
  const who = actor?.loginName || actor?.displayName || actor?.id || 'unknown actor';
  return actor?.type && !isPerson(actor) ? `${who} (${actor.type} ${actor.id ?? '?'})` : who;
}

/** The capabilities of a created key (`new.capabilities` in the S3 export: ONE_OFF_NODE_AUTH, CONTROL_API_SCOPE_ALL…). */
export function keyCapabilities(value: unknown): string[] {
  const field = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).capabilities : undefined;
  return Array.isArray(field) ? field.filter((c): c is string => typeof c === 'string') : [];
}

/** A string field of an audit record's `old`/`new` value when that value is an object; '' otherwise. */
export function valueField(value: unknown, key: string): string {
  const field = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'string' ? field : '';
}
