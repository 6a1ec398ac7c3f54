// The policy evaluator on its own: real-looking policy files (HuJSON) and flows between nodes whose identity is
// given, as Tailscale's documentation describes the supported subset.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../engine/policy/compile-policy.ts';
import { evaluateFlow } from '../../engine/policy/evaluate.ts';
import type { Verdict } from '../../engine/policy/evaluate.ts';
import type { Principal } from '../../engine/policy/principal.ts';

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const GRE = 47;

const alice: Principal = { ip: '100.64.0.1', node: { tags: [], user: 'alice@example.com', owner: { roles: ['member'] } } };
const carol: Principal = { ip: '100.64.0.3', node: { tags: [], user: 'Carol@Example.com', owner: { roles: ['admin'] } } };
const shared: Principal = { ip: '100.64.0.4', node: { tags: [], user: 'guest@other.org' } };
const web: Principal = { ip: '100.64.1.1', node: { tags: ['tag:web'], user: 'alice@example.com' } };
const db: Principal = { ip: '100.64.1.2', node: { tags: ['tag:db', 'tag:prod'] } };
const v6db: Principal = { ip: 'fd7a:115c:a1e0::12', node: { tags: ['tag:db'] } };
const unknownNode: Principal = { ip: '100.64.9.9' };
const lan: Principal = { ip: '10.1.2.3' };

function verdict(raw: string, src: Principal, dst: Principal, dstPort: number, proto = TCP): Verdict {
  const policy = compilePolicy(raw);
  if (!policy.supported) throw new Error(`unsupported: ${policy.reasons.join('; ')}`);
  return evaluateFlow(policy.rules, { proto, src, dst, dstPort });
}

function reasons(raw: string): readonly string[] {
  const policy = compilePolicy(raw);
  return policy.supported ? [] : policy.reasons;
}

const ACLS = `{
  // Example/default-style policy, trimmed to the parts under test
  "groups": {
    "group:eng": ["alice@example.com", "carol@example.com",],
  },
  "hosts": {
    "office-lan": "10.1.0.0/16",
    "backup": "100.64.1.50",
  },
  "tagOwners": { "tag:web": ["autogroup:admin"] },
  "acls": [
    /* engineers reach web on 80 and 443, and the office LAN */
    { "action": "accept", "src": ["group:eng"], "dst": ["tag:web:80,443", "office-lan:*"] },
    { "action": "accept", "src": ["tag:web"], "proto": "tcp", "dst": ["tag:db:5432"] },
    { "action": "accept", "src": ["tag:web"], "proto": "udp", "dst": ["tag:db:8000-8100"] },
    { "action": "accept", "users": ["autogroup:admin"], "ports": ["*:22"] },
    { "action": "accept", "src": ["100.64.0.0/24"], "dst": ["backup:873"] },
    { "action": "accept", "src": ["tag:web"], "dst": ["[fd7a:115c:a1e0::12]:6379"] },
  ],
  "ssh": [{ "action": "check", "src": ["autogroup:member"], "dst": ["autogroup:self"], "users": ["autogroup:nonroot"] }],
}`;

describe('ACLs', () => {
  it('allows what an entry lists: group member to tag on a listed port, not on another', () => {
    expect(verdict(ACLS, alice, web, 443)).toBe('allowed');
    expect(verdict(ACLS, alice, web, 80)).toBe('allowed');
    expect(verdict(ACLS, alice, web, 8080)).toBe('denied');
    expect(verdict(ACLS, alice, db, 5432)).toBe('denied');
  });

  it('matches logins case-insensitively, and a tagged node is not its owner', () => {
    expect(verdict(ACLS, carol, web, 443)).toBe('allowed');
    expect(verdict(ACLS, web, web, 443)).toBe('denied');
  });

  it('applies proto and port ranges', () => {
    expect(verdict(ACLS, web, db, 5432, TCP)).toBe('allowed');
    expect(verdict(ACLS, web, db, 5432, UDP)).toBe('denied');
    expect(verdict(ACLS, web, db, 8050, UDP)).toBe('allowed');
    expect(verdict(ACLS, web, db, 8101, UDP)).toBe('denied');
    expect(verdict(ACLS, web, db, 8050, TCP)).toBe('denied');
  });

  it('resolves legacy users/ports, autogroup:admin and `*` destinations', () => {
    expect(verdict(ACLS, carol, db, 22)).toBe('allowed');
    expect(verdict(ACLS, alice, db, 22)).toBe('denied');
  });

  it('matches hosts aliases, CIDRs and subnet addresses', () => {
    expect(verdict(ACLS, alice, lan, 3389)).toBe('allowed');
    expect(verdict(ACLS, web, lan, 3389)).toBe('denied');
    expect(verdict(ACLS, alice, { ip: '100.64.1.50', node: { tags: ['tag:backup'] } }, 873)).toBe('allowed');
    expect(verdict(ACLS, web, { ip: '100.64.1.50' }, 873)).toBe('denied');
  });

  it('matches bracketed IPv6 destinations', () => {
    expect(verdict(ACLS, web, v6db, 6379)).toBe('allowed');
    expect(verdict(ACLS, web, v6db, 6380)).toBe('denied');
  });

  it('lets ICMP through wherever the source may reach the destination at all', () => {
    expect(verdict(ACLS, web, db, 0, ICMP)).toBe('allowed');
    expect(verdict(ACLS, db, web, 0, ICMP)).toBe('denied');
  });

  it('says unknown when the answer needs facts it lacks, and never for what it can decide without them', () => {
    // Which user owns 100.64.9.9 decides group:eng → tag:web:443.
    expect(verdict(ACLS, unknownNode, web, 443)).toBe('unknown');
    // Nothing lets anyone reach tag:web on 8080: no fact could change that.
    expect(verdict(ACLS, unknownNode, web, 8080)).toBe('denied');
    // autogroup:admin needs the owner's role.
    expect(verdict(ACLS, { ip: '100.64.0.8', node: { tags: [], user: 'dave@example.com' } }, db, 22)).toBe('unknown');
  });
});

const GRANTS = `{
  "grants": [
    { "src": ["autogroup:member"], "dst": ["tag:web"], "ip": ["tcp:443", "udp:443"] },
    { "src": ["autogroup:tagged"], "dst": ["tag:prod"], "ip": ["22", "9100-9102"] },
    { "src": ["alice@example.com"], "dst": ["tag:db"], "ip": ["*"] },
    { "src": ["tag:web"], "dst": ["10.1.0.0/16"], "ip": ["gre:*"] },
  ],
}`;

describe('grants', () => {
  it('allows members, not shared-in users whose membership is unknown', () => {
    expect(verdict(GRANTS, alice, web, 443, UDP)).toBe('allowed');
    expect(verdict(GRANTS, shared, web, 443)).toBe('unknown');
    expect(verdict(GRANTS, db, web, 443)).toBe('denied');
  });

  it('takes a bare port as TCP, UDP and ICMP, and `*` as every protocol and port', () => {
    expect(verdict(GRANTS, web, db, 9101, UDP)).toBe('allowed');
    expect(verdict(GRANTS, web, db, 9103, TCP)).toBe('denied');
    expect(verdict(GRANTS, alice, db, 1234, UDP)).toBe('allowed');
    expect(verdict(GRANTS, alice, db, 0, GRE)).toBe('allowed');
  });

  it('allows a protocol without ports only for every port', () => {
    expect(verdict(GRANTS, web, lan, 0, GRE)).toBe('allowed');
    expect(verdict(GRANTS, db, lan, 0, GRE)).toBe('denied');
  });

  it('uses ACLs and grants together', () => {
    const both = '{"acls": [{"action": "accept", "src": ["tag:web"], "dst": ["tag:db:5432"]}], "grants": [{"src": ["tag:web"], "dst": ["tag:db"], "ip": ["tcp:6379"]}]}';
    expect(verdict(both, web, db, 5432)).toBe('allowed');
    expect(verdict(both, web, db, 6379)).toBe('allowed');
    expect(verdict(both, web, db, 22)).toBe('denied');
  });
});

describe('defaults', () => {
  it('allows everything when the file has neither acls nor grants, and nothing with an empty list', () => {
    expect(verdict('{"tagOwners": {}}', db, web, 22)).toBe('allowed');
    expect(verdict('{"acls": []}', db, web, 22)).toBe('denied');
    expect(verdict('{"grants": []}', db, web, 22)).toBe('denied');
  });

  it('allows everything under the default allow-all ACL', () => {
    expect(verdict('{"acls": [{"action": "accept", "src": ["*"], "dst": ["*:*"]}]}', unknownNode, lan, 445)).toBe('allowed');
  });
});

describe('unsupported policies', () => {
  it.each([
    ['a posture condition', '{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"], "srcPosture": ["posture:latestMac"]}]}', 'grants[0]: field "srcPosture"'],
    ['via', '{"grants": [{"src": ["*"], "dst": ["10.0.0.0/8"], "ip": ["*"], "via": ["tag:router"]}]}', 'grants[0]: field "via"'],
    ['app capabilities', '{"grants": [{"src": ["*"], "dst": ["tag:web"], "app": {"tailscale.com/cap/tsidp": [{}]}}]}', 'grants[0]: field "app"'],
    ['autogroup:self', '{"acls": [{"action": "accept", "src": ["autogroup:member"], "dst": ["autogroup:self:*"]}]}', 'acls[0]: "autogroup:self" (only autogroup:member, autogroup:admin and autogroup:tagged are supported)'],
    ['autogroup:internet', '{"grants": [{"src": ["*"], "dst": ["autogroup:internet"], "ip": ["*"]}]}', 'grants[0]: "autogroup:internet" (only autogroup:member, autogroup:admin and autogroup:tagged are supported)'],
    ['an ipset', '{"ipsets": {"ipset:lan": ["10.0.0.0/8"]}, "grants": [{"src": ["*"], "dst": ["ipset:lan"], "ip": ["*"]}]}', 'grants[0]: selector "ipset:lan"'],
    ['a default posture', '{"defaultSrcPosture": ["posture:base"], "acls": []}', 'section "defaultSrcPosture"'],
    ['an undefined group', '{"acls": [{"action": "accept", "src": ["group:ops"], "dst": ["*:22"]}]}', 'acls[0]: group "group:ops" is not defined in groups'],
    ['a destination without ports', '{"acls": [{"action": "accept", "src": ["*"], "dst": ["tag:web"]}]}', 'acls[0]: dst "tag:web" (no ports)'],
    ['an unknown protocol', '{"acls": [{"action": "accept", "src": ["*"], "proto": "carrier-pigeon", "dst": ["*:*"]}]}', 'acls[0]: proto "carrier-pigeon"'],
    ['text that is not HuJSON', '{"acls": [', 'not HuJSON'],
  ])('reports %s', (_name, raw, reason) => {
    expect(reasons(raw).join('\n')).toContain(reason);
  });

  it('lists every unsupported construct, not only the first', () => {
    const raw = '{"grants": [{"src": ["*"], "dst": ["*"], "ip": ["*"], "via": ["tag:r"]}, {"src": ["autogroup:shared"], "dst": ["*"], "ip": ["*"]}]}';
    expect(reasons(raw)).toEqual(['grants[0]: field "via"', 'grants[1]: "autogroup:shared" (only autogroup:member, autogroup:admin and autogroup:tagged are supported)']);
  });
});
