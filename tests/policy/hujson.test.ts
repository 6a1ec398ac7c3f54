// HuJSON as Tailscale writes policy files: comments and trailing commas, with strings left exactly as they are.
import { describe, expect, it } from 'vitest';
import { parseHuJson } from '../../engine/policy/hujson.ts';

describe('parseHuJson', () => {
  it('drops line and block comments and trailing commas in objects and arrays', () => {
    const text = `// policy\n{\n  /* groups */ "groups": {"group:eng": ["a@example.com",],}, // who\n  "acls": [ {"action": "accept",}, ],\n}\n`;
    expect(parseHuJson(text)).toEqual({ groups: { 'group:eng': ['a@example.com'] }, acls: [{ action: 'accept' }] });
  });

  it('keeps comment markers, commas and escaped quotes inside strings', () => {
    expect(parseHuJson('{"url": "https://x.example/*a*/", "text": "say \\"hi\\", // not a comment",}')).toEqual({ url: 'https://x.example/*a*/', text: 'say "hi", // not a comment' });
  });

  it('reads plain JSON as JSON', () => {
    expect(parseHuJson('{"acls":[{"action":"accept","src":["*"],"dst":["*:*"]}]}')).toEqual({ acls: [{ action: 'accept', src: ['*'], dst: ['*:*'] }] });
  });

  it('throws a SyntaxError on text that is not HuJSON', () => {
    expect(() => parseHuJson('{"acls": [')).toThrow(SyntaxError);
  });
});
