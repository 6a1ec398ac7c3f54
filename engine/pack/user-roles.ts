// Tailscale user roles as audit records (`old`/`new` of a USER_ROLE change) and webhooks (`oldRoles`/`newRoles`) name
// them, for the shipped rules on role changes (and rule authors).

/** The roles that count as admin-level by default: they can change the policy file, approve nodes and create keys. */
export const ADMIN_ROLES: readonly string[] = ['owner', 'admin', 'network-admin', 'it-admin'];

/** The role named by a value: a string, or an object with a role/name/value field. Lower-case, `-` separated. */
export function roleName(value: unknown): string {
  let role: unknown = value;
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    role = [v.role, v.name, v.value, v.userRole].find((field) => typeof field === 'string');
  }
  return typeof role === 'string' ? role.trim().toLowerCase().replace(/[_\s]+/g, '-') : '';
}

/** Whether the role is one of `adminRoles`, compared as roleName writes them (`NETWORK_ADMIN` is `network-admin`). */
export function isAdminRole(role: string, adminRoles: readonly string[]): boolean {
  const name = roleName(role);
  return name !== '' && adminRoles.some((admin) => roleName(admin) === name);
}
