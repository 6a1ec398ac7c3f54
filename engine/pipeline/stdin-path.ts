// `-` names stdin on the command line; main.ts passes it on as /dev/stdin because yargs drops a lone `-`.

export const STDIN_PATH = '/dev/stdin';

export function isStdin(path: string): boolean {
  return path === '-' || path === STDIN_PATH;
}
