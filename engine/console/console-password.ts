// The console password: from `console.password` ({ env }) when set, else generated once and kept in the dataDir.
import { resolveSecret, type Environment } from '../config/secret.ts';
import { keptSecret } from '../pipeline/live/hec-token.ts';
import type { ConsoleConfig } from './console-config.ts';

export const CONSOLE_PASSWORD_FILE = 'console-password';

export interface ConsolePassword {
  password: string;
  /** The start-up line to print when the password is the kept one (undefined when it comes from the environment). */
  notice?: string;
}

export function consolePassword(config: ConsoleConfig, dataDir: string, env: Environment): ConsolePassword {
  if (config.password !== undefined) return { password: resolveSecret(config.password, 'console.password', env) };
  const kept = keptSecret(dataDir, CONSOLE_PASSWORD_FILE);
  const how = kept.created ? 'generated one, kept in' : 'using the one kept in';
  return {
    password: kept.token,
    notice: `console.password is not set; ${how} ${kept.file}: ${kept.token}\n  (set console.password: { env: 'NAME' } to choose one)\n`,
  };
}
