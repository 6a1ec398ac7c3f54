// Open enumerations: known literals compile and autocomplete; a literal outside the known list is a type error;
// a value Tailscale added later is matched on purpose with isUnlisted.
import { defineRule, isUnlisted } from '../../engine/index.ts';
import type { AuditEvent } from '../../engine/index.ts';

export function known(e: AuditEvent): boolean[] {
  return [
    e.event.action === 'DELETE',
    e.event.origin === 'ADMIN_CONSOLE',
    e.event.actor.type === 'OAUTH_CLIENT',
    e.event.target.type === 'API_KEY',
    e.event.target.property === 'MAGIC_DNS',
  ];
}

export function unknownLiterals(e: AuditEvent): boolean[] {
  return [
    // @ts-expect-error action: the real value is DELETE
    e.event.action === 'DELETED',
    // @ts-expect-error origin
    e.event.origin === 'ADMIN_CONSOL',
    // @ts-expect-error actor.type
    e.event.actor.type === 'USR',
    // @ts-expect-error target.type
    e.event.target.type !== 'APIKEY',
    // @ts-expect-error target.property
    e.event.target.property === 'MAGICDNS',
  ];
}

export function inSwitch(e: AuditEvent): string {
  switch (e.event.action) {
    case 'CREATE':
      return 'created';
    // @ts-expect-error a case label outside the known list
    case 'CREATED':
      return 'typo';
    default:
      return e.event.action;
  }
}

export function unlisted(e: AuditEvent): boolean[] {
  return [
    isUnlisted(e.event.action, 'PURGE'),
    isUnlisted(e.event.origin, 'TERRAFORM'),
    isUnlisted(e.event.target.property, 'ACL'),
    // @ts-expect-error a known value is compared with ===, not through isUnlisted
    isUnlisted(e.event.action, 'DELETE'),
  ];
}

// The values stay strings: string methods, templates and string parameters accept them.
export function asString(e: AuditEvent, names: string[]): unknown[] {
  const action: string = e.event.action;
  return [action, e.event.actor.type.toLowerCase(), `${e.event.target.type}`, names.includes(e.event.target.property ?? '')];
}

export const rule = defineRule({
  id: 'Types.Open.Enums',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => e.event.action === 'DISABLE' && (e.event.target.property === 'TKA' || isUnlisted(e.event.target.type, 'TKA')),
  // @ts-expect-error a typo inside a rule function
  dedup: (e) => (e.event.action === 'UPDTE' ? 'update' : e.event.actor.id),
});
