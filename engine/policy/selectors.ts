// The supported selectors of `src` and `dst`, compiled once per policy into tests on a Principal: `*`, users
// (logins), `group:`, `tag:`, `autogroup:member`, `autogroup:admin`, `autogroup:tagged`, `hosts` aliases, IPs and
// CIDRs. Anything else throws Unsupported: the policy is then not evaluated at all.
import { BlockList, isIP } from 'node:net';
import { identity } from './principal.ts';
import type { Principal, Tri } from './principal.ts';

export type Selector = (principal: Principal) => Tri;

/** A construct outside the supported subset; its message says which. */
export class Unsupported extends Error {}

export interface SelectorContext {
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly hosts: ReadonlyMap<string, string>;
}

const ANY: Selector = () => true;

export function compileSelector(text: string, context: SelectorContext): Selector {
  if (text === '*') return ANY;
  if (text.startsWith('tag:')) return (p) => identity(p, (node) => node.tags.includes(text));
  if (text.startsWith('group:')) return groupSelector(text, context);
  if (text.startsWith('autogroup:')) return autogroupSelector(text);
  if (isLogin(text)) return usersSelector([text]);
  const address = addressSelector(text) ?? aliasSelector(text, context);
  if (address === undefined) throw new Unsupported(`selector "${text}"`);
  return address;
}

function isLogin(text: string): boolean {
  return text.includes('@') && !text.includes('*') && !text.includes(':');
}

/** Untagged nodes owned by one of `logins` (compared case-insensitively). */
function usersSelector(logins: readonly string[]): Selector {
  const wanted = new Set(logins.map((login) => login.toLowerCase()));
  return (p) => identity(p, (node) => (node.tags.length > 0 ? false : node.user === undefined ? undefined : wanted.has(node.user.toLowerCase())));
}

function groupSelector(name: string, context: SelectorContext): Selector {
  const members = context.groups.get(name);
  if (members === undefined) throw new Unsupported(`group "${name}" is not defined in groups`);
  const other = members.find((member) => !isLogin(member));
  if (other !== undefined) throw new Unsupported(`group "${name}" member "${other}" (only user logins are supported)`);
  return usersSelector(members);
}

function autogroupSelector(name: string): Selector {
  switch (name) {
    case 'autogroup:tagged':
      return (p) => identity(p, (node) => node.tags.length > 0);
    case 'autogroup:member':
      // A member is a user of this tailnet (any role); a shared-in user is not, so an unknown owner is unknown.
      return (p) => identity(p, (node) => (node.tags.length > 0 ? false : node.owner === undefined ? undefined : true));
    case 'autogroup:admin':
      return (p) => identity(p, (node) => (node.tags.length > 0 ? false : node.owner?.roles === undefined ? undefined : node.owner.roles.includes('admin')));
    default:
      throw new Unsupported(`"${name}" (only autogroup:member, autogroup:admin and autogroup:tagged are supported)`);
  }
}

/** An IP or CIDR (`100.64.0.7`, `10.0.0.0/8`, `fd7a:115c:a1e0::/48`); undefined when the text is neither. */
function addressSelector(text: string): Selector | undefined {
  const [ip = '', bits, extra] = text.split('/');
  const family = isIP(ip);
  if (family === 0 || extra !== undefined) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix <= (family === 4 ? 32 : 128))) return undefined;
  const list = new BlockList();
  list.addSubnet(ip, prefix, type);
  return (p) => {
    const own = isIP(p.ip);
    return own !== 0 && list.check(p.ip, own === 4 ? 'ipv4' : 'ipv6');
  };
}

function aliasSelector(text: string, context: SelectorContext): Selector | undefined {
  const value = context.hosts.get(text);
  if (value === undefined) return undefined;
  const address = addressSelector(value);
  if (address === undefined) throw new Unsupported(`hosts "${text}": "${value}" is not an IP or CIDR`);
  return address;
}
