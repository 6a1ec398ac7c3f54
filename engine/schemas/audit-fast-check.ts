// The hand-written check of audit records, as network-fast-check.ts is of network records: it accepts exactly what
// the zod AuditRecord schema accepts for JSON values (tests/schemas/network-fast-check.test.ts holds it to that),
// and the record is then used as it is. A record it refuses goes through AuditRecord.safeParse, for the message.
import type { AuditRecord } from './audit.ts';
import { isPlainObject, optionalString, optionalStrings } from './network-fast-check.ts';

function isActor(value: unknown): boolean {
  return isPlainObject(value) && typeof value.id === 'string' && typeof value.type === 'string' && optionalString(value.loginName) &&
    optionalString(value.displayName) && optionalStrings(value.tags);
}

function isTarget(value: unknown): boolean {
  return isPlainObject(value) && typeof value.id === 'string' && typeof value.type === 'string' && optionalString(value.name) &&
    optionalString(value.property) && (value.isEphemeral === undefined || typeof value.isEphemeral === 'boolean');
}

/** True when zod's AuditRecord would accept `record` and return a deep-equal copy of it. */
export function isAuditRecord(record: Record<string, unknown>): record is AuditRecord {
  return isPlainObject(record) && isActor(record.actor) && isTarget(record.target) && typeof record.action === 'string' &&
    optionalString(record.eventGroupID) && optionalString(record.origin) && optionalString(record.actionDetails) &&
    optionalString(record.error) && optionalString(record.deferredAt) && optionalString(record.eventTime) &&
    optionalString(record.logged) && optionalString(record.type);
}
