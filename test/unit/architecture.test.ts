import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repo = resolve(__dirname, '..', '..', '..');
const src = join(repo, 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The src files a file imports at run time or for types (relative imports only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '')) + '.ts');
}

describe('architecture', () => {
  const files = sourceFiles(src);

  it('src/core never imports vscode', () => {
    const offenders = files.filter(
      (file) => file.startsWith(join(src, 'core')) && /from 'vscode'|import\('vscode'\)|require\('vscode'\)/.test(readFileSync(file, 'utf8')),
    );
    assert.deepEqual(
      offenders.map((file) => relative(repo, file)),
      [],
    );
  });

  it('src has no import cycle', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => files.includes(target))]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') {
        return;
      }
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(src, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) {
        visit(target, [...path, file]);
      }
      state.set(file, 'done');
    };
    files.forEach((file) => visit(file, []));
    assert.deepEqual(cycles, []);
  });

  /** The layer a src file belongs to: core, platform, tokenAcquirer, a feature (by name), bundles or extension.ts. */
  const layerOf = (file: string): string => {
    const [top, feature] = relative(src, file).split(/[\\/]/);
    return top === 'features' ? `features/${feature}` : top.replace(/\.ts$/, '');
  };

  /** What each layer may import besides itself: the rule CONTRIBUTING's architecture section draws. */
  const allowed = (layer: string): string[] =>
    layer === 'core'
      ? []
      : layer === 'platform'
        ? ['core']
        : layer === 'tokenAcquirer'
          ? ['core', 'platform']
          : layer.startsWith('features/')
            ? ['core', 'platform', 'tokenAcquirer']
            : ['core', 'platform', 'tokenAcquirer', 'features', 'bundles'];

  it('each layer imports only the layers below it: a feature module imports only core, the platform layer and the token acquirer, never another feature', () => {
    const offenders = files.flatMap((file) => {
      const layer = layerOf(file);
      return importsOf(file)
        .filter((target) => files.includes(target))
        .filter((target) => {
          const targetLayer = layerOf(target);
          return targetLayer !== layer && !allowed(layer).some((below) => targetLayer === below || targetLayer.startsWith(`${below}/`));
        })
        .map((target) => `${relative(src, file)} → ${relative(src, target)}`);
    });
    assert.deepEqual(offenders, []);
  });

  it('every src file sits in a layer the rule knows', () => {
    const layers = new Set(files.map(layerOf));
    const known = [...layers].filter((layer) => ['core', 'platform', 'tokenAcquirer', 'bundles', 'extension'].includes(layer) || /^features\/\w+$/.test(layer));
    assert.deepEqual([...layers].sort(), known.sort());
  });
});
