// Where the shipped rules (the pack) are: rules/ beside engine/, in this repository (TypeScript) and in the published
// package (dist/rules/, compiled), so the same relative path finds them from either.
import { fileURLToPath } from 'node:url';

export const PACK_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
