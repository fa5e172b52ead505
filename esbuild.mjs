// Bundles the extension into dist/extension.js, and the features loaded on first use (snippets, Call API, Inspect
// Token, with jose) into dist/tokenUse.js, which the first one requires only then. `vscode` stays external.
// `--production` minifies.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

/**
 * node-fetch 2 reads `Url.URL || whatwgUrl.URL`: Node always has URL, so the whatwg-url polyfill
 * (and its Unicode tables, most of the bundle) is never used. Bundle an empty module in its place.
 */
const withoutUnusedUrlPolyfill = {
  name: 'without-unused-url-polyfill',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'unused' }));
    build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

await esbuild.build({
  entryPoints: { extension: 'src/extension.ts', tokenUse: 'src/tokenUse.ts' },
  bundle: true,
  outdir: 'dist',
  external: ['vscode', './tokenUse.js'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [withoutUnusedUrlPolyfill],
});
