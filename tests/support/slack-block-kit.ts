// Block Kit validation as Slack applies it to incoming-webhook messages (the limits our messages must respect).

const MAX_BLOCKS = 50;
const MESSAGE_KEYS = new Set(['text', 'blocks', 'attachments', 'username', 'icon_emoji', 'icon_url', 'unfurl_links', 'unfurl_media', 'mrkdwn', 'thread_ts']);

/** Every problem with a message payload; [] when Slack would accept it. */
export function slackMessageProblems(message: unknown): string[] {
  if (!isObject(message)) return ['payload is not an object'];
  const problems: string[] = [];
  for (const key of Object.keys(message)) if (!MESSAGE_KEYS.has(key)) problems.push(`unknown message key ${key}`);
  if (message.text !== undefined && (typeof message.text !== 'string' || message.text.length > 40_000)) problems.push('text: not a string or over 40000');
  if (message.blocks === undefined) return problems;
  if (!Array.isArray(message.blocks)) return [...problems, 'blocks is not an array'];
  if (message.blocks.length === 0 || message.blocks.length > MAX_BLOCKS) problems.push(`blocks: ${message.blocks.length} (1..${MAX_BLOCKS})`);
  const ids = new Set<string>();
  message.blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks[${i}]`, ids)));
  return problems;
}

function blockProblems(block: unknown, at: string, ids: Set<string>): string[] {
  if (!isObject(block)) return [`${at}: not an object`];
  const problems: string[] = [];
  if (block.block_id !== undefined) {
    if (typeof block.block_id !== 'string' || block.block_id.length > 255 || ids.has(block.block_id)) problems.push(`${at}.block_id invalid or repeated`);
    else ids.add(block.block_id);
  }
  const allow = (...keys: string[]) => {
    for (const key of Object.keys(block)) if (key !== 'type' && key !== 'block_id' && !keys.includes(key)) problems.push(`${at}: unknown key ${key}`);
  };
  switch (block.type) {
    case 'header':
      allow('text');
      problems.push(...textProblems(block.text, `${at}.text`, 150, ['plain_text']));
      break;
    case 'section':
      allow('text', 'fields', 'accessory');
      if (block.text === undefined && block.fields === undefined) problems.push(`${at}: needs text or fields`);
      if (block.text !== undefined) problems.push(...textProblems(block.text, `${at}.text`, 3000));
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10) problems.push(`${at}.fields: 1..10 items`);
        else block.fields.forEach((f, i) => problems.push(...textProblems(f, `${at}.fields[${i}]`, 2000)));
      }
      break;
    case 'context':
      allow('elements');
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) problems.push(`${at}.elements: 1..10 items`);
      else block.elements.forEach((e, i) => problems.push(...textProblems(e, `${at}.elements[${i}]`, 3000)));
      break;
    case 'actions':
      allow('elements');
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) problems.push(`${at}.elements: 1..25 items`);
      else block.elements.forEach((e, i) => problems.push(...buttonProblems(e, `${at}.elements[${i}]`)));
      break;
    case 'divider':
      allow();
      break;
    default:
      problems.push(`${at}: unsupported block type ${String(block.type)}`);
  }
  return problems;
}

function textProblems(value: unknown, at: string, max: number, types = ['plain_text', 'mrkdwn']): string[] {
  if (!isObject(value)) return [`${at}: not a text object`];
  const problems: string[] = [];
  if (typeof value.type !== 'string' || !types.includes(value.type)) problems.push(`${at}.type must be ${types.join(' or ')}`);
  if (typeof value.text !== 'string' || value.text.length === 0) problems.push(`${at}.text must be a non-empty string`);
  else if (value.text.length > max) problems.push(`${at}.text: ${value.text.length} characters (max ${max})`);
  for (const key of Object.keys(value)) {
    const ok = key === 'type' || key === 'text' || (key === 'emoji' && value.type === 'plain_text') || (key === 'verbatim' && value.type === 'mrkdwn');
    if (!ok) problems.push(`${at}: unknown key ${key}`);
  }
  return problems;
}

function buttonProblems(value: unknown, at: string): string[] {
  if (!isObject(value) || value.type !== 'button') return [`${at}: only buttons are supported here`];
  const problems = textProblems(value.text, `${at}.text`, 75, ['plain_text']);
  if (value.url !== undefined && (typeof value.url !== 'string' || value.url.length > 3000)) problems.push(`${at}.url: max 3000`);
  for (const key of Object.keys(value)) if (!['type', 'text', 'url', 'action_id', 'value', 'style'].includes(key)) problems.push(`${at}: unknown key ${key}`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
