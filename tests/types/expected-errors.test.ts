// tsc accepts any error under `@ts-expect-error`; this checks that each one hides the error it is about (an unknown
// property, a literal with no overlap, an excess config key, a refused escape-hatch argument), not, say, a missing
// export, and that nothing else in these files fails.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIR = import.meta.dirname;
const MARKER = '// @ts-expect-error';
const INTENDED = new Map([
  [2339, 'property does not exist'],
  [2551, 'property does not exist (did you mean)'],
  [2367, 'comparison with no overlap'],
  [2678, 'case label not comparable'],
  [2353, 'excess property'],
  [2561, 'excess property (did you mean)'],
  [2345, 'argument refused'],
  [2571, 'value is of type unknown'],
]);

const files = readdirSync(DIR).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).map((name) => path.join(DIR, name));

/** The files compiled with every `@ts-expect-error` turned into a plain comment, so the hidden errors show. */
function diagnosticsWithoutDirectives(): readonly ts.Diagnostic[] {
  const configPath = path.join(DIR, '../../tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => (files.includes(path.resolve(file)) ? read(file)?.replaceAll(MARKER, '// expect-error') : read(file));
  const program = ts.createProgram(files, options, host);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file !== undefined && files.includes(path.resolve(d.file.fileName)));
}

describe('type-level tests', () => {
  it('every @ts-expect-error hides an intended error, and only those lines fail', { timeout: 180_000 }, () => {
    const marked = new Set<string>();
    for (const file of files) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (line.trimStart().startsWith(MARKER)) marked.add(`${path.basename(file)}:${i + 2}`);
      });
    }
    const found = new Map<string, number[]>();
    for (const d of diagnosticsWithoutDirectives()) {
      const line = d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      const at = `${path.basename(d.file!.fileName)}:${line}`;
      found.set(at, [...(found.get(at) ?? []), d.code]);
    }
    const unexpected = [...found].filter(([at, codes]) => !marked.has(at) || codes.some((code) => !INTENDED.has(code)));
    expect(unexpected).toEqual([]);
    expect([...marked].filter((at) => !found.has(at))).toEqual([]);
    expect(marked.size).toBeGreaterThan(30);
  });
});
