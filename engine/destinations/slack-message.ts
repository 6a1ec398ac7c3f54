// The Slack incoming-webhook message for an alert: Block Kit within Slack's limits, plus a plain-text fallback.
import type { Alert } from '../alerts/alert.ts';
import type { Severity } from '../rules/base/severity.ts';
import { contextFields } from './slack-context-fields.ts';
import { SLACK_LIMITS, cut, fitMrkdwn, isHttpUrl } from './slack-text.ts';

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

type TextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
type Button = { type: 'button'; text: { type: 'plain_text'; text: string }; url: string };
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: boolean } }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'divider' };

export const SEVERITY_CUES: Record<Severity, string> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
  LOW: ':large_blue_circle:',
  INFO: ':white_circle:',
};

/** Context fields shown before the rest is summarised in one line (two sections of ten). */
const MAX_CONTEXT_FIELDS = 2 * SLACK_LIMITS.fields;
const DESCRIPTION_CHARS = 1000;

export function slackMessage(alert: Alert): SlackMessage {
  const cue = SEVERITY_CUES[alert.severity];
  const heading = `${cue} ${alert.severity}: ${updateMark(alert)}${alert.title}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(heading, SLACK_LIMITS.headerText), emoji: true } },
  ];
  if (heading.length > SLACK_LIMITS.headerText) blocks.push(mrkdwnSection(`*${fitMrkdwn(alert.title, SLACK_LIMITS.sectionText - 2)}*`));
  blocks.push({ type: 'section', fields: summaryFields(alert, cue) });
  if (alert.description) blocks.push(mrkdwnSection(fitMrkdwn(alert.description, DESCRIPTION_CHARS)));
  if (alert.error) blocks.push(mrkdwnSection(`*Rule error*\n${fitMrkdwn(`${alert.error.name}: ${alert.error.message}`, 2000)}`));
  blocks.push(...contextBlocks(alert.alertContext));
  blocks.push(...guidanceBlocks(alert));
  blocks.push({ type: 'context', elements: footer(alert) });
  return { text: fallbackText(alert, cue), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

function fallbackText(alert: Alert, cue: string): string {
  const events = `${alert.eventCount} event${alert.eventCount === 1 ? '' : 's'}`;
  return fitMrkdwn(`${cue} [${alert.severity}] ${updateMark(alert)}${alert.title} (${alert.ruleId}, ${events})`, SLACK_LIMITS.fallbackText);
}

/** A later revision is an update of an alert already posted (its count or events changed). */
function updateMark(alert: Alert): string {
  return alert.revision > 1 ? `[update ${alert.revision}] ` : '';
}

function summaryFields(alert: Alert, cue: string): TextObject[] {
  const fields = [
    `*Severity*\n${cue} ${alert.severity}${alert.type === 'RULE_ERROR' ? ' (rule error)' : ''}`,
    `*Rule*\n\`${fitMrkdwn(alert.ruleId, 500)}\``,
    `*Tailnet*\n${fitMrkdwn(alert.tailnet, 500)}`,
    `*Events*\n${alert.eventCount}`,
    `*Log types*\n${fitMrkdwn(alert.logTypes.join(', ') || 'n/a', 500)}`,
    `*First event*\n${slackDate(alert.firstEventTime)}`,
    `*Last event*\n${slackDate(alert.lastEventTime)}`,
  ];
  return fields.map((text) => ({ type: 'mrkdwn', text }));
}

/** Slack shows `<!date^…>` in the reader's own time zone; the fallback is the UTC time. */
function slackDate(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return fitMrkdwn(time || 'n/a', 100);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${new Date(ms).toISOString()}>`;
}

function contextBlocks(context: Record<string, unknown>): SlackBlock[] {
  const fields = contextFields(context);
  if (fields.length === 0) return [];
  const blocks: SlackBlock[] = [{ type: 'divider' }];
  const shown = fields.slice(0, MAX_CONTEXT_FIELDS);
  for (let i = 0; i < shown.length; i += SLACK_LIMITS.fields) {
    blocks.push({ type: 'section', fields: shown.slice(i, i + SLACK_LIMITS.fields).map((text) => ({ type: 'mrkdwn', text })) });
  }
  const hidden = fields.length - shown.length;
  if (hidden > 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${hidden} more context field${hidden === 1 ? '' : 's'} (in the webhook and file payloads)` }] });
  }
  return blocks;
}

function guidanceBlocks(alert: Alert): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (alert.runbook && !isHttpUrl(alert.runbook)) {
    blocks.push(mrkdwnSection(`*Runbook*\n${fitMrkdwn(alert.runbook, SLACK_LIMITS.sectionText - 20)}`));
  }
  const buttons: Button[] = [];
  if (alert.runbook && isHttpUrl(alert.runbook)) buttons.push(button('Runbook', alert.runbook));
  if (alert.reference && isHttpUrl(alert.reference)) buttons.push(button('Reference', alert.reference));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  if (alert.reference && !isHttpUrl(alert.reference)) {
    blocks.push(mrkdwnSection(`*Reference*\n${fitMrkdwn(alert.reference, SLACK_LIMITS.sectionText - 20)}`));
  }
  return blocks;
}

function footer(alert: Alert): TextObject[] {
  const parts = [`alert \`${fitMrkdwn(alert.alertId, 200)}\` revision ${alert.revision}${alert.late ? ' (late events)' : ''}`];
  if (alert.tags.length > 0) parts.push(`tags: ${fitMrkdwn(alert.tags.join(', '), 500)}`);
  for (const [framework, ids] of Object.entries(alert.reports)) parts.push(fitMrkdwn(`${framework}: ${ids.join(', ')}`, 500));
  return parts.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text }));
}

function mrkdwnSection(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function button(label: string, url: string): Button {
  return { type: 'button', text: { type: 'plain_text', text: label }, url };
}
