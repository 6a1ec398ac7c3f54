// The public surface, pinned: every name the package's entry points export (`tailwatch`, `tailwatch/testing`,
// `tailwatch/pack`) and its type, read from the .d.ts files the build emits, against public-surface.api.txt. A
// change here is a change of the published API: update the file (`npx vitest run tests/package/public-surface -u`)
// and say in CHANGELOG.md what changed, and whether it breaks (a major version) or adds (a minor one).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY_POINTS = { tailwatch: 'engine/index.d.ts', 'tailwatch/testing': 'engine/testing/index.d.ts', 'tailwatch/pack': 'rules/index.d.ts' };
const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'tailwatch-dts-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--removeComments', '--outDir', out], { cwd: ROOT });
}, 300_000);
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** One block per entry point: each export, sorted, with its type (object types one property a line). */
function surfaceReport(): string {
  const files = Object.values(ENTRY_POINTS).map((file) => join(out, file));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2024,
    strict: true,
    exactOptionalPropertyTypes: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  });
  const checker = program.getTypeChecker();
  const blocks: string[] = [];
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
    const source = program.getSourceFile(join(out, file));
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`no module for ${file}`);
    const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
    blocks.push(`# ${entry}\n${exports.map((symbol) => describeExport(checker, symbol)).join('\n')}\n`);
  }
  return blocks.join('\n');
}

function describeExport(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const specifier = exported.declarations?.[0];
  const reexport = specifier !== undefined && ts.isExportSpecifier(specifier) ? specifier.parent.parent.moduleSpecifier : undefined;
  if (reexport !== undefined && ts.isStringLiteral(reexport) && !reexport.text.startsWith('.')) return `${exported.name}: re-exported from ${reexport.text}`;
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declaration = symbol.declarations?.[0];
  if (declaration === undefined) throw new Error(`${exported.name}: no declaration`);
  const lines: string[] = [];
  const typeOnly = specifier !== undefined && ts.isExportSpecifier(specifier) && (specifier.isTypeOnly || specifier.parent.parent.isTypeOnly);
  if (symbol.flags & ts.SymbolFlags.Value && !typeOnly) lines.push(`${exported.name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration), declaration, FLAGS)}`);
  if (symbol.flags & ts.SymbolFlags.Type) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const typeDeclaration = symbol.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) ?? declaration;
    const params = ts.getEffectiveTypeParameterDeclarations(typeDeclaration as ts.DeclarationWithTypeParameters);
    const head = `type ${exported.name}${params.length > 0 ? `<${params.map((p) => p.getText()).join(', ')}>` : ''}`;
    const properties = type.isUnion() || type.isLiteral() ? [] : checker.getPropertiesOfType(type);
    if (properties.length === 0) lines.push(`${head} = ${checker.typeToString(type, declaration, FLAGS)}`);
    else {
      lines.push(`${head} = {`);
      for (const property of properties) {
        const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
        lines.push(`  ${property.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(property, declaration), declaration, FLAGS)}`);
      }
      lines.push('}');
    }
  }
  return lines.join('\n');
}

describe('the public surface', () => {
  it('is what public-surface.api.txt records (a change there is an API change: CHANGELOG.md)', { timeout: 300_000 }, async () => {
    await expect(surfaceReport()).toMatchFileSnapshot('./public-surface.api.txt');
  });
});
