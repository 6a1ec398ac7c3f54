// An alert context as Slack fields: who/what/where first, short facts before nested structures, values cut.
import { fitMrkdwn, cut } from './slack-text.ts';

const VALUE_CHARS = 300;
const LABEL_CHARS = 80;
/** Keys whose values an on-call engineer reads first. */
const USEFUL_KEY = /actor|user|login|email|ip|addr|src|dst|node|host|target|action|property|origin|device|tailnet/i;

/** One mrkdwn field per context key, most useful first; each well under Slack's 2000 characters. */
export function contextFields(context: Record<string, unknown>): string[] {
  return Object.entries(context)
    .map(([key, value], index) => ({ key, value, index, rank: rankOf(key, value) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ key, value }) => `*${fitMrkdwn(key, LABEL_CHARS)}*\n${renderValue(value)}`);
}

function rankOf(key: string, value: unknown): number {
  const shape = value === null || typeof value !== 'object' ? 0 : Array.isArray(value) ? 2 : 4;
  return shape + (USEFUL_KEY.test(key) ? 0 : 1);
}

function renderValue(value: unknown): string {
  const text = valueText(value);
  if (text === '') return '_(empty)_';
  // Inline code keeps IPs, ids and emails readable and stops mrkdwn from interpreting them.
  if (!text.includes('`') && !text.includes('\n')) return `\`${fitMrkdwn(text, VALUE_CHARS)}\``;
  return fitMrkdwn(text, VALUE_CHARS);
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object')) return value.join(', ');
  try {
    // Only the first VALUE_CHARS are shown, but JSON.stringify has no limit: cut a huge value first.
    return cut(JSON.stringify(value), VALUE_CHARS * 2);
  } catch {
    return '(unprintable)';
  }
}
