import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The module boundaries of ARCHITECTURE.md, checked on every import of the source tree: a rule no
 * tool checks drifts.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

/** Dependency order: a module may import platform/ and modules of earlier layers only. */
export const moduleLayers: readonly (readonly string[])[] = [
  ['audit', 'sla', 'partner-center'],
  ['partners'],
  ['notifications', 'customers'],
  ['identity'],
  ['subscriptions', 'support-plans', 'knowledge'],
  ['vendor-bills', 'tickets'],
  ['billing', 'escalations'],
  ['payments', 'billing-questions'],
  ['collections'],
];
const layerOf = new Map(moduleLayers.flatMap((layer, index) => layer.map((name) => [name, index] as const)));

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((file) => /\.(ts|tsx)$/.test(file) && !file.includes('node_modules'))
    .map((file) => join(dir, file));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Import[] = [];
  const pattern =
    /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4]!;
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ file, specifier, typeOnly: match[2] !== undefined, line });
  }
  return found;
}

/** Where a file or an import lands: `platform/db`, `modules/billing`, `cli`, … */
function areaOf(path: string): string {
  const parts = relative(join(root, 'src'), path).split(/[\\/]/);
  if (parts[0] === 'platform' || parts[0] === 'modules') return `${parts[0]}/${parts[1]}`;
  return parts[0]!.replace(/\.ts$/, '');
}

function target(entry: Import): { area: string; deep: boolean } | undefined {
  const { specifier } = entry;
  if (specifier.startsWith('#platform/')) return { area: `platform/${specifier.split('/')[1]}`, deep: false };
  if (specifier.startsWith('#modules/')) return { area: `modules/${specifier.split('/')[1]}`, deep: false };
  if (!specifier.startsWith('.')) return undefined;
  const absolute = resolve(dirname(join(root, entry.file)), specifier);
  if (!absolute.startsWith(join(root, 'src'))) return { area: relative(root, absolute), deep: true };
  return { area: areaOf(absolute), deep: true };
}

const srcImports = sourceFiles('src').flatMap(importsOf);
const at = (entry: Import) => `${entry.file}:${entry.line} imports ${entry.specifier}`;

describe('architecture', () => {
  it('platform/ › imports no business module', () => {
    const offending = srcImports.filter(
      (entry) => entry.file.startsWith('src/platform/') && target(entry)?.area.startsWith('modules/'),
    );
    assert.deepEqual(offending.map(at), []);
  });

  it('boundaries › another module or platform folder is reached only through its index.ts', () => {
    const offending = srcImports.filter((entry) => {
      const to = target(entry);
      if (!to?.deep) return false;
      const from = areaOf(join(root, entry.file));
      if (to.area === from || !(to.area.startsWith('platform/') || to.area.startsWith('modules/')))
        return false;
      // A module's schema may point its foreign keys at another module's tables.
      return !(entry.file.endsWith('/schema.ts') && /\/(schema|tenancy)\.ts$/.test(entry.specifier));
    });
    assert.deepEqual(offending.map(at), []);
  });

  it('dependency order › a module imports only modules of earlier layers', () => {
    const modulesDir = join(root, 'src/modules');
    const modules = existsSync(modulesDir)
      ? readdirSync(modulesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())
      : [];
    const unknown = modules.map((entry) => entry.name).filter((name) => !layerOf.has(name));
    assert.deepEqual(unknown, [], 'every module folder has a layer in ARCHITECTURE.md and moduleLayers');
    const offending = srcImports.filter((entry) => {
      const from = areaOf(join(root, entry.file));
      const to = target(entry)?.area;
      if (!from.startsWith('modules/') || !to?.startsWith('modules/') || to === from) return false;
      return layerOf.get(to.slice(8))! >= layerOf.get(from.slice(8))!;
    });
    assert.deepEqual(offending.map(at), []);
  });

  it('platform/ › its folders import each other without cycles (type-only imports aside)', () => {
    const edges = new Map<string, Set<string>>();
    for (const entry of srcImports) {
      const from = areaOf(join(root, entry.file));
      const to = target(entry)?.area;
      if (entry.typeOnly || !from.startsWith('platform/') || !to?.startsWith('platform/') || to === from)
        continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    assert.deepEqual([...new Set(cycles)], []);
  });

  it('test support › is never imported by product code', () => {
    const offending = srcImports.filter(
      (entry) => !/\.test\.tsx?$/.test(entry.file) && entry.specifier.startsWith('#test/'),
    );
    assert.deepEqual(offending.map(at), []);
  });

  it('web › reaches into src/ only for the shared, browser-safe i18n catalog', () => {
    const offending = sourceFiles('web/src')
      .flatMap(importsOf)
      .filter((entry) => {
        const to = target(entry);
        return (
          to !== undefined &&
          to.area !== 'platform/i18n' &&
          !to.area.startsWith('web/') &&
          !to.area.startsWith('locales')
        );
      })
      .filter((entry) => entry.specifier.includes('src/') || entry.specifier.startsWith('#'));
    assert.deepEqual(offending.map(at), []);
    const i18nImports = sourceFiles('web/src')
      .flatMap(importsOf)
      .filter((entry) => target(entry)?.area === 'platform/i18n');
    assert.ok(
      i18nImports.every((entry) => entry.specifier.endsWith('/catalog.ts')),
      'only catalog.ts, never the server index',
    );
  });

  it('the checker itself › sees a deep import and a layer violation when they exist', () => {
    const deep: Import = {
      file: 'src/modules/billing/x.ts',
      specifier: '../tickets/queries.ts',
      typeOnly: false,
      line: 1,
    };
    assert.deepEqual(target(deep), { area: 'modules/tickets', deep: true });
    assert.ok(layerOf.get('tickets')! < layerOf.get('billing')!);
    assert.ok(layerOf.get('collections')! > layerOf.get('billing')!);
    assert.ok(importsOf('src/platform/app/start.ts').some((entry) => entry.specifier === '#platform/db'));
  });
});
