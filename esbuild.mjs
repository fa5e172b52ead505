// Bundles the extension into dist/extension.js, and the features loaded on first use (snippets, Call API, Inspect
// Token, with jose) into dist/apiRequestFeatures.js, which the first one requires only then. `vscode` stays external.
// `--production` minifies.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

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

await esbuild.build({
  entryPoints: { extension: 'src/extension.ts', apiRequestFeatures: 'src/apiRequests/apiRequestFeatures.ts' },
  bundle: true,
  outdir: 'dist',
  external: ['vscode', './apiRequestFeatures.js'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [withoutUnusedFetchExtras],
});
