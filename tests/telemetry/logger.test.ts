import { describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/telemetry/logger.ts';

function capture(level?: 'debug' | 'info' | 'warn' | 'error', env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level, env, destination: { write: (line: string) => lines.push(line) } });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time, msg, bindings and fields', () => {
    const { logger, lines, parsed } = capture('info');
    logger.child({ source: 'hec' }).info('listening', { port: 8088 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'info', msg: 'listening', source: 'hec', port: 8088 });
    expect(Number.isNaN(Date.parse(String(line!.time)))).toBe(false);
  });

  it('drops lines below the level, which comes from TAILWATCH_LOG_LEVEL when not given', () => {
    const fromEnv = capture(undefined, { TAILWATCH_LOG_LEVEL: 'warn' });
    fromEnv.logger.info('quiet');
    fromEnv.logger.warn('loud');
    expect(fromEnv.parsed().map((line) => line.msg)).toEqual(['loud']);
    expect(fromEnv.logger.level).toBe('warn');
    expect(capture(undefined, { TAILWATCH_LOG_LEVEL: 'nonsense' }).logger.level).toBe('info');
  });

  it('redacts secrets by key, at any depth, and Slack webhook URLs under any key', () => {
    const { logger, parsed } = capture('debug');
    logger.child({ token: 'hec-secret' }).info('config', {
      authorization: 'Splunk abc',
      destination: { kind: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX', secret: 's3cr3t' },
      tokens: ['a', 'b'],
      safeUrl: 'https://soar.example/hooks',
    });
    const text = JSON.stringify(parsed());
    for (const secret of ['hec-secret', 'Splunk abc', 'hooks.slack.com', 's3cr3t', '"a"']) expect(text).not.toContain(secret);
    expect(parsed()[0]).toMatchObject({ token: '[redacted]', safeUrl: 'https://soar.example/hooks' });
  });

  it('keeps whole records out of lines above debug', () => {
    const { logger, parsed } = capture('debug');
    logger.info('rejected', { event: { actor: 'alice@example.com' }, reason: 'schema_mismatch' });
    logger.debug('rejected', { event: { actor: 'alice@example.com' } });
    const [info, debug] = parsed();
    expect(info).toMatchObject({ event: '[omitted]', reason: 'schema_mismatch' });
    expect(debug).toMatchObject({ event: { actor: 'alice@example.com' } });
  });

  it('serialises errors by name, message and code', () => {
    const { logger, parsed } = capture('info');
    logger.error('failed', { error: Object.assign(new Error('boom'), { code: 'EBOOM' }) });
    expect(parsed()[0]).toMatchObject({ error: { name: 'Error', message: 'boom', code: 'EBOOM' } });
  });
});
