// Bundles the extension into eight files in dist/, each loaded only when needed, with no module in two of them:
// - extension.js: activation, what the status bar and a cached token need;
// - afterFirstCountdown.js: the rest of activation's wiring (command registrations, the sign-in URI handler, the
//   accounts, the agent tools' registrations, the spec and .http hooks, the terminals, the log of the workspace's
//   ignored settings), loaded once the first countdown shows;
// - lifecycleParts.js: the token lifecycle's parts that request, renew and manage credentials, loaded once the first
//   countdown shows (or by the first call that needs them);
// - tokenRequests.js: the token requests with node-fetch, loaded by the first token request;
// - terminalTokenFile.js: the terminals' token file and the safe file write, loaded by the first update of the
//   terminals (before features.js, which takes the safe file write from it);
// - features.js: commands, browser sign-in, the profile wizard, token files, loaded by the first command;
// - apiRequestFeatures.js: snippets, Call API and Inspect Token (with jose), loaded by their first command;
// - specFeatures.js: OpenAPI specs, their code lenses and commands, loaded when the first spec opens;
// And two more, outside that chain, each a worker_threads script: specWorker.js, the spec worker (js-yaml,
// json-schema-ref-parser, Ajv), which specFeatures.js starts at the first spec it reads in full; and postmanWorker.js
// (postman-collection), one per Import Postman Collection. A worker has no `vscode` and shares no module with the
// extension host's bundles: it is built whole, on its own.
// A module belongs to the first bundle (in that order) that reaches it; a later bundle that imports it gets it from
// that bundle at run time (`require('./<bundle>.js').__modules[<key>]`, a short key per shared module, as the paths
// would be most of a bundle's export list) instead of a copy. `vscode` stays external.
// `--production` minifies; `--analyze` prints what each bundle holds, largest module first.
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

const production = process.argv.includes('--production');
const analyze = process.argv.includes('--analyze');
const root = process.cwd();

/** Libraries the later bundles own: activation (extension.js) loads none of them. */
const NOT_AT_ACTIVATION = /node_modules\/(?:node-fetch|jose|js-yaml|ajv|ajv-formats|re2js|@apidevtools|postman-collection|@faker-js)\//;

const BUNDLES = [
  { name: 'extension', entry: 'src/extension.ts' },
  { name: 'afterFirstCountdown', entry: 'src/bundles/afterFirstCountdown.ts' },
  { name: 'lifecycleParts', entry: 'src/core/tokens/lifecycleParts.ts' },
  { name: 'tokenRequests', entry: 'src/core/tokens/tokenRequests.ts' },
  { name: 'terminalTokenFile', entry: 'src/core/tokenExport/terminalTokenFile.ts' },
  { name: 'features', entry: 'src/bundles/commandFeatures.ts' },
  { name: 'apiRequestFeatures', entry: 'src/bundles/requestFeatures.ts' },
  { name: 'specFeatures', entry: 'src/features/specs/specFeatures.ts' },
];

/**
 * Modules node-fetch 2 can load but the extension never uses; an empty module is bundled in their place:
 * - whatwg-url: node-fetch reads `Url.URL || whatwgUrl.URL`, and Node always has URL (the polyfill's Unicode tables
 *   would be most of the bundle);
 * - encoding (iconv-lite, ~480 KB): only for `response.textConverted()`. node-fetch loads it if it is installed at all,
 *   and a dev dependency (node-gyp) brings it in.
 */
const withoutUnusedFetchExtras = {
  name: 'without-unused-fetch-extras',
  setup(build) {
    build.onResolve({ filter: /^(whatwg-url|encoding)$/ }, (args) => ({ path: args.path, namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * Modules postman-collection loads but the import never runs; a stand-in that throws if ever called is bundled instead
 * (measured: 860 KB of the 1.1 MB the SDK would add):
 * - @faker-js/faker: only Postman's dynamic variables ({{$randomCity}}…) when a request is run; the import writes them
 *   out and runs nothing. The SDK reads its generators (faker.address.city) when it loads: every property is the stand-in.
 * - iconv-lite: only to decode a response's body in a charset other than UTF-8; the import reads no response.
 */
const withoutUnusedPostmanExtras = {
  name: 'without-unused-postman-extras',
  setup(build) {
    build.onResolve({ filter: /^(@faker-js\/faker\/locale\/en|iconv-lite)$/ }, (args) =>
      /node_modules\/postman-collection\//.test(args.importer) ? { path: args.path, namespace: 'not-run' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'not-run' }, (args) => ({
      contents: `const notRun = new Proxy(() => { throw new Error(${JSON.stringify(`${args.path} is not bundled: the Postman import runs no request.`)}); }, { get: (target, key) => (key === 'then' ? undefined : notRun) });
module.exports = notRun;`,
      loader: 'js',
    }));
  },
};

/**
 * `import * as vscode from 'vscode'` bundled into CommonJS becomes `__toESM(require('vscode'))` in every module that has
 * it: a copy of each of the API's 400-odd members, one defineProperty each, 11 copies at activation, which was most of
 * the bundle's load time in the extension host (measured by test/bench/activationCost.ts's timed copy). Built as
 * `import vscode = require('vscode')` instead, each module takes the API object as it is. Sources keep the ES import.
 */
const VSCODE_IMPORT = /^import \* as vscode from 'vscode';$/m;
const vscodeAsRequire = {
  name: 'vscode-as-require',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replace(VSCODE_IMPORT, "import vscode = require('vscode');"), loader: 'ts' };
    });
  },
};

const id = (path) => relative(root, path).split('\\').join('/');

/**
 * Resolves each import; one that lands in a module owned by another bundle becomes a stand-in that requires that
 * bundle. A static import of a later bundle is refused: it would load that bundle at once.
 */
function crossBundleImports(bundle, owners, requested) {
  return {
    name: 'cross-bundle-imports',
    setup(build) {
      build.onResolve({ filter: /^\.{1,2}\// }, async (args) => {
        if (args.namespace === 'other-bundle') {
          return { path: args.path, external: true };
        }
        if (args.namespace !== 'file' || args.pluginData === 'resolving') {
          return undefined;
        }
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (resolved.errors.length > 0) {
          return { errors: resolved.errors };
        }
        const owner = owners.get(resolved.path) ?? laterEntryOwner(resolved.path, bundle);
        if (!owner || owner === bundle.name) {
          return { path: resolved.path };
        }
        const ownerIndex = BUNDLES.findIndex((candidate) => candidate.name === owner);
        const bundleIndex = BUNDLES.indexOf(bundle);
        if (ownerIndex > bundleIndex && args.kind === 'import-statement' && !args.importer.endsWith('.d.ts')) {
          return {
            errors: [
              {
                text: `${id(args.importer)} imports ${id(resolved.path)} of the later bundle ${owner}.js statically: import it with import() so that it loads on first use.`,
              },
            ],
          };
        }
        requested.add(`${owner}\0${id(resolved.path)}`);
        return { path: `${owner}\0${id(resolved.path)}`, namespace: 'other-bundle' };
      });
      build.onLoad({ filter: /.*/, namespace: 'other-bundle' }, (args) => {
        const [owner, module] = args.path.split('\0');
        return { contents: `module.exports = require('./${owner}.js').__modules[${JSON.stringify(sharedKey(module))}];`, loader: 'js' };
      });
    },
  };
}

/** Each shared module's key in its bundle's __modules, once pass 1 has found them all. */
let sharedKeys;

/** A shared module's key in its bundle's __modules (its path during pass 1, whose output is not written). */
function sharedKey(module) {
  return sharedKeys?.get(module) ?? module;
}

function laterEntryOwner(path, bundle) {
  const later = BUNDLES.slice(BUNDLES.indexOf(bundle) + 1).find((candidate) => resolve(root, candidate.entry) === path);
  return later?.name;
}

const COMMON = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
};

function options(bundle, entry, owners, requested) {
  return {
    ...COMMON,
    ...entry,
    external: ['vscode'],
    plugins: [withoutUnusedFetchExtras, withoutUnusedPostmanExtras, vscodeAsRequire, crossBundleImports(bundle, owners, requested)],
  };
}

// Pass 1: which bundle owns which module, and which modules later bundles take from earlier ones.
const owners = new Map();
const requested = new Set();
for (const bundle of BUNDLES) {
  const result = await esbuild.build(options(bundle, { entryPoints: [bundle.entry], write: false }, owners, requested));
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(root, input);
    if (!input.includes(':') && !owners.has(path)) {
      owners.set(path, bundle.name);
    }
  }
}

// Pass 2: each bundle, exporting the modules later bundles take from it, each under its short key.
sharedKeys = new Map([...new Set([...requested].map((entry) => entry.split('\0')[1]))].sort().map((module, index) => [module, index.toString(36)]));
for (const bundle of BUNDLES) {
  const shared = [...requested]
    .map((entry) => entry.split('\0'))
    .filter(([owner]) => owner === bundle.name)
    .map(([, module]) => module);
  const contents = [
    `export * from ${JSON.stringify(`./${bundle.entry}`)};`,
    ...shared.map((module, index) => `import * as m${index} from ${JSON.stringify(`./${module}`)};`),
    `export const __modules = {${shared.map((module, index) => `${JSON.stringify(sharedKey(module))}: m${index}`).join(', ')}};`,
  ].join('\n');
  const result = await esbuild.build(
    options(
      bundle,
      { stdin: { contents, resolveDir: root, sourcefile: `${bundle.name}.bundle.ts`, loader: 'ts' }, outfile: `dist/${bundle.name}.js` },
      owners,
      new Set(),
    ),
  );
  if (analyze) {
    console.log(await esbuild.analyzeMetafile(result.metafile));
  }
  const misplaced = Object.keys(result.metafile.inputs).filter((input) => bundle.name === 'extension' && NOT_AT_ACTIVATION.test(input));
  if (misplaced.length > 0) {
    console.error(`dist/extension.js holds ${misplaced.join(', ')}: a library of a later bundle reached activation. Find the import with --analyze.`);
    process.exit(1);
  }
}

// No `vscode` external: a worker that reached it would fail to build rather than at its first use.
for (const [entry, outfile] of [
  ['src/core/specs/specWorker.ts', 'dist/specWorker.js'],
  ['src/core/postman/postmanWorker.ts', 'dist/postmanWorker.js'],
]) {
  const worker = await esbuild.build({ ...COMMON, entryPoints: [entry], outfile, plugins: [withoutUnusedFetchExtras, withoutUnusedPostmanExtras] });
  if (analyze) {
    console.log(await esbuild.analyzeMetafile(worker.metafile));
  }
}
