// Tailscale configuration audit log record (https://tailscale.com/kb/1203/audit-logging), as the API, S3 export
// and log streaming deliver it. Enumerations are open: the lists hold values seen so far, any other string parses.
// Types hold the documented fields only (see documented.ts); parsing keeps the others.
import { z } from 'zod';
import type { Documented } from './documented.ts';
import type { Envelope } from './normalized.ts';
import { openEnum } from './open-enum.ts';

export const AUDIT_ACTIONS = [
  'CREATE', 'UPDATE', 'DELETE', 'ENABLE', 'DISABLE', 'REVOKE', 'LOGIN', 'LOGOUT', 'FAILED_REQUEST', 'PUSH',
  'APPROVE', 'SUSPEND', 'RESTORE', 'EXPIRE',
] as const;
export const AUDIT_ORIGINS = ['ADMIN_CONSOLE', 'CONFIG_API', 'NODE', 'SCIM', 'CONTROL', 'ADMIN_UI'] as const;
export const ACTOR_TYPES = ['USER', 'OAUTH_CLIENT', 'API_KEY', 'NODE', 'SCIM', 'TAILSCALE_SUPPORT'] as const;
export const TARGET_TYPES = ['TAILNET', 'NODE', 'USER', 'API_KEY', 'OAUTH_ACCESS_TOKEN', 'ACL'] as const;
export const TARGET_PROPERTIES = [
  'MAGIC_DNS', 'HTTPS', 'MACHINE_APPROVAL_NEEDED', 'LOGSTREAM_ENDPOINT', 'NETWORK_FLOW_LOGGING', 'LOG_EXIT_FLOWS',
  'TKA', 'USER_APPROVAL_REQUIRED', 'USER_ROLE', 'KEY_EXPIRY', 'KEY_EXPIRY_TIME', 'ACL_TAGS', 'ALLOWED_IPS',
] as const;

export const AuditActor = z.looseObject({
  id: z.string(),
  type: openEnum(ACTOR_TYPES),
  loginName: z.string().optional(),
  displayName: z.string().optional(),
  tags: z.array(z.string()).optional(),
});
export type AuditActor = Documented<z.infer<typeof AuditActor>>;

export const AuditTarget = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  type: openEnum(TARGET_TYPES),
  property: openEnum(TARGET_PROPERTIES).optional(),
  isEphemeral: z.boolean().optional(),
});
export type AuditTarget = Documented<z.infer<typeof AuditTarget>>;

export const AuditRecord = z.looseObject({
  eventGroupID: z.string().optional(),
  origin: openEnum(AUDIT_ORIGINS).optional(),
  actor: AuditActor,
  target: AuditTarget,
  action: openEnum(AUDIT_ACTIONS),
  old: z.unknown().optional(),
  new: z.unknown().optional(),
  actionDetails: z.string().optional(),
  error: z.string().optional(),
  deferredAt: z.string().optional(),
  eventTime: z.string().optional(),
  logged: z.string().optional(),
  type: z.string().optional(),
});
export type AuditRecord = Documented<z.infer<typeof AuditRecord>>;

export type AuditEvent = Envelope<AuditRecord> & { p_log_type: 'Tailscale.Audit' };
