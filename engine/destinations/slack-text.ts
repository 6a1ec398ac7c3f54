// Text helpers for Slack: escape mrkdwn control characters and cut to a limit with an ellipsis.

/** Slack's documented message limits (Block Kit reference). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  url: 3000,
  fallbackText: 3000,
} as const;

const ELLIPSIS = '…';

/** At most max UTF-16 units, ending in an ellipsis when cut, never splitting a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

/** Slack needs only &, < and > escaped in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Escaped and cut so that the escaped text is at most max long (an entity is never split). */
export function fitMrkdwn(text: string, max: number): string {
  let escaped = escapeMrkdwn(text);
  let keep = Math.min(text.length, max);
  while (escaped.length > max) {
    keep -= escaped.length - max;
    escaped = escapeMrkdwn(cut(text, keep));
  }
  return escaped;
}

export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text) && text.length <= SLACK_LIMITS.url;
}
