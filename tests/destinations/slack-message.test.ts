import { describe, expect, it } from 'vitest';
import { slackMessage, type SlackBlock } from '../../engine/destinations/slack-message.ts';
import { makeAlert } from '../support/make-alert.ts';
import { slackMessageProblems } from '../support/slack-block-kit.ts';

const textOf = (blocks: SlackBlock[]) => JSON.stringify(blocks);

describe('slackMessage', () => {
  it('shows severity with a cue, title, rule, times, count, context, runbook and reference', () => {
    const message = slackMessage(makeAlert());
    expect(slackMessageProblems(message)).toEqual([]);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', emoji: true, text: ':large_orange_circle: HIGH: Tailscale user [alice@example.com] disabled Magic DNS for [example.com]' },
    });
    expect(message.text).toBe(':large_orange_circle: [HIGH] Tailscale user [alice@example.com] disabled Magic DNS for [example.com] (Tailscale.Magic.DNS.Disabled, 3 events)');
    const all = textOf(message.blocks);
    expect(all).toContain('*Rule*\\n`Tailscale.Magic.DNS.Disabled`');
    expect(all).toContain('*Events*\\n3');
    expect(all).toContain('<!date^1780500776^{date_short_pretty} {time_secs}|2026-06-03T15:32:56.773Z>');
    expect(all).toContain('*actor*\\n`alice@example.com`');
    expect(all).toContain('*Runbook*\\nAsk the actor why');
    expect(message.blocks).toContainEqual({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Reference' }, url: 'https://tailscale.com/kb/1081/magicdns' }] });
    expect(all).toContain('MITRE ATT&amp;CK: TA0005:T1562');
  });

  it('stays inside Slack\'s limits whatever the alert holds, cutting long values with an ellipsis', () => {
    const context: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) context[`key${i}`] = `<value & ${i}> ${'x'.repeat(5000)}`;
    context.nested = { deep: { deeper: Array.from({ length: 1000 }, (_, i) => i) } };
    const alert = makeAlert({
      title: `T<&>${'y'.repeat(5000)}`,
      description: 'd'.repeat(10_000),
      runbook: 'r'.repeat(10_000),
      reference: 'see the wiki page '.repeat(500),
      tags: Array.from({ length: 200 }, (_, i) => `tag${i}`),
      reports: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`framework${i}`, ['a', 'b']])),
      alertContext: context,
    });
    const message = slackMessage(alert);
    expect(slackMessageProblems(message)).toEqual([]);
    const all = textOf(message.blocks);
    expect(all).toContain('…');
    expect(all).toContain('&lt;value &amp; 0&gt;');
    expect(all).toContain('…and 41 more context fields');
    expect((message.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
  });

  it('puts who/what/where first and nested values last', () => {
    const message = slackMessage(makeAlert({ alertContext: { details: { a: 1 }, count: 4, ip: '100.64.0.1', list: [1, 2] } }));
    const section = message.blocks.find((b) => b.type === 'section' && b.fields?.[0]?.text.startsWith('*ip*'));
    expect(section && 'fields' in section ? section.fields?.map((f) => f.text.split('\n')[0]) : []).toEqual(['*ip*', '*count*', '*list*', '*details*']);
  });

  it('shows what a failing rule threw', () => {
    const message = slackMessage(makeAlert({ type: 'RULE_ERROR', title: 'Error in rule X: boom', error: { name: 'TypeError', message: 'x is <undefined>' }, alertContext: {} }));
    expect(slackMessageProblems(message)).toEqual([]);
    expect(textOf(message.blocks)).toContain('*Rule error*\\nTypeError: x is &lt;undefined&gt;');
    expect(textOf(message.blocks)).toContain('HIGH (rule error)');
  });

  it('never splits a surrogate pair when cutting', () => {
    const message = slackMessage(makeAlert({ title: '🔥'.repeat(200) }));
    const header = (message.blocks[0] as { text: { text: string } }).text.text;
    expect(header.endsWith('…')).toBe(true);
    expect(header).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
