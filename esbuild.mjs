// Builds the two bundles the extension ships: the host code (Node, CommonJS, `vscode` provided by the
// editor at run time) and the webview script (browser IIFE, loaded by nonce under the view's CSP).
//   node esbuild.mjs               development build with sourcemaps
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Paths below are relative to the project, wherever the script is started from.
process.chdir(dirname(fileURLToPath(import.meta.url)));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Marks the start and end of each rebuild, as the `$esbuild-watch` problem matcher expects. */
const reportRebuilds = {
  name: 'report-rebuilds',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd(() => console.log('[watch] build finished'));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  // esbuild prints errors and warnings itself, in the format editors' problem matchers read.
  logLevel: 'warning',
  plugins: watch ? [reportRebuilds] : [],
};

const extensionBuild = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
};

const webviewBuild = {
  ...common,
  entryPoints: ['src/webview/main.ts'],
  outfile: 'dist/webview.js',
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
};

/** The webview's icon font, served from dist/ because `localResourceRoots` admits nothing else. */
function copyCodicons() {
  for (const file of ['codicon.css', 'codicon.ttf']) {
    copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/${file}`);
  }
}

// A fresh dist/ each time, so a production build never ships maps left by an earlier one.
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
copyCodicons();

if (watch) {
  const contexts = await Promise.all([esbuild.context(extensionBuild), esbuild.context(webviewBuild)]);
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  try {
    await Promise.all([esbuild.build(extensionBuild), esbuild.build(webviewBuild)]);
  } catch {
    // esbuild has already printed the errors.
    process.exit(1);
  }
}
