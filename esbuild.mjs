// Builds the bundles the extension ships: the host code (Node, CommonJS, `vscode` provided by the
// editor at run time; a small activation shell and the session it loads) and the webview script
// (browser IIFE, loaded by nonce under the view's CSP).
//   node esbuild.mjs               development build with sourcemaps
//   node esbuild.mjs --production  minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --outdir DIR  write the bundles to DIR instead of dist/ (the bench's smoke run)
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirIndex = process.argv.indexOf('--outdir');
const outdir = outdirIndex > 0 ? resolve(process.argv[outdirIndex + 1]) : 'dist';

// Paths below are relative to the project, wherever the script is started from.
process.chdir(dirname(fileURLToPath(import.meta.url)));

/** Marks the start and end of each rebuild, as the `$esbuild-watch` problem matcher expects. */
const reportRebuilds = {
  name: 'report-rebuilds',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd(() => console.log('[watch] build finished'));
  },
};

/**
 * Every module's `import * as vscode from 'vscode'` shares one namespace object. Left alone, esbuild
 * gives each importing module its own copy of the API's ~150 members (`__toESM`), all made while the
 * bundle loads: a few milliseconds of activation for nothing (see BENCHMARKS.md).
 */
const sharedVscodeNamespace = {
  name: 'shared-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** extension.ts requires the session at run time, when first needed: it stays a bundle of its own. */
const separateSession = {
  name: 'separate-session',
  setup(build) {
    build.onResolve({ filter: /^\.\/session\.js$/ }, () => ({ path: './session.js', external: true }));
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
  // The activation shell, the session it loads on first use (see src/extension.ts), and the worker
  // thread that runs a virtual workspace's search regex (src/tools/regexInWorker.ts), beside them in dist/.
  entryPoints: { extension: 'src/extension.ts', session: 'src/session.ts', regexWorker: 'src/tools/regexWorker.ts' },
  outdir,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow (`./impl/format` went
  // missing from the bundle); its ES module build bundles whole.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  plugins: [...common.plugins, sharedVscodeNamespace, separateSession],
};

const webviewBuild = {
  ...common,
  entryPoints: ['src/webview/main.ts'],
  outfile: `${outdir}/webview.js`,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
};

/** The webview's icon font, served from dist/ because `localResourceRoots` admits nothing else. */
function copyCodicons() {
  for (const file of ['codicon.css', 'codicon.ttf']) {
    copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `${outdir}/${file}`);
  }
}

// A fresh dist/ each time, so a production build never ships maps left by an earlier one.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
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
