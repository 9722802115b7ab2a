// Lint: typescript-eslint's type-checked rules, and the layers of the README as import restrictions,
// so a wrong import fails `npm test` instead of waiting for a reviewer to notice.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of one of these folders, written relative to a file one level below `src/`. */
const folder = (...names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;

/** `vscode` itself: only the VS Code side of the layers may import it. */
const noVscode = { name: 'vscode', message: 'This layer runs without VS Code (README: layers); move the VS Code part to src/ui, src/tools/vscode, src/lm/vscode, src/history or src/auth.' };

const layer = (message, ...forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [noVscode],
      patterns: forbidden.map(({ regex, why }) => ({ regex, message: `${message} ${why}` })),
    },
  ],
});

const vscodeSide = { regex: folder('ui', 'history', 'auth', 'webview', 'tools/vscode', 'lm/vscode', 'session', 'extension', 'config'), why: 'It may not import the VS Code side.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'test-results/**', 'bench-results/**', 'test/e2e/smoke-extension/**', 'test/fixtures/lm-tool-extension/**', 'test/fixtures/lm-consumer/**', 'bench/activation/*-extension/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The build and npm scripts are plain .mjs outside tsconfig.json: type-checked through the default project, which by default takes at most 8 files.
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'], maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16 }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: every one awaited, or marked `void` where fire-and-forget is the intent.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An async function without `await` is how this code base implements a method that returns a
      // promise (a tool's run, a store's read): the rule would ask for Promise.resolve wrappers instead.
      '@typescript-eslint/require-await': 'off',
      // A variable a callback reads, assigned once after the callback is made, cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // Tests and the bench read JSON they made themselves (request bodies, transcripts, page state): the
  // any-safety rules would need a cast on every line and catch nothing there. The promise rules stay.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // What measures or hosts module loading itself: `require` is the subject there, not a style.
  { files: ['bench/activation/**/*.ts', 'test/electron/**/*.ts'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The layers (README): pure code imports nothing from `vscode` nor from the VS Code side.
  { files: ['src/api/**/*.ts'], rules: layer('src/api is the pure Messages API client.', { regex: folder('chat', 'shared', 'tools', 'ui', 'history', 'auth', 'webview', 'session', 'extension', 'config'), why: 'It imports only itself.' }) },
  { files: ['src/shared/**/*.ts'], rules: layer('src/shared is the protocol both sides import.', { regex: folder('chat', 'tools', 'ui', 'history', 'auth', 'webview', 'session', 'extension', 'config'), why: 'It may import only src/api types.' }) },
  { files: ['src/chat/**/*.ts'], rules: layer('src/chat is the pure conversation logic.', vscodeSide) },
  { files: ['src/mcp/**/*.ts'], rules: layer('src/mcp is the pure MCP part (configuration, connections, servers).', vscodeSide, { regex: folder('chat'), why: 'The chat uses the MCP tools, not the other way round.' }) },
  { files: ['src/checkpoints/**/*.ts'], rules: layer('src/checkpoints is the pure checkpoint engine (git plumbing).', { regex: folder('chat', 'tools', 'ui', 'history', 'auth', 'webview', 'session', 'extension', 'config'), why: 'It imports only itself and src/shared.' }) },
  {
    files: ['src/tools/*.ts'],
    rules: layer('src/tools/*.ts are the pure tools.', { regex: '^\\./vscode(/|$)', why: 'It may not import src/tools/vscode.' }, vscodeSide, { regex: folder('chat'), why: 'The chat uses the tools, not the other way round.' }),
  },
  {
    files: ['src/lm/*.ts'],
    rules: layer('src/lm/*.ts are the pure mapping of VS Code language model requests.', { regex: '^\\./vscode(/|$)', why: 'It may not import src/lm/vscode.' }, vscodeSide),
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: layer(
      'src/webview is the Chat view page, which runs in the browser.',
      { regex: folder('api', 'chat', 'tools', 'ui', 'history', 'auth', 'session', 'extension', 'config', 'contributionIds'), why: 'It may import only src/shared and itself.' },
      { regex: `^(node:|(${builtinModules.join('|')})(/|$))`, why: 'Node modules do not exist in the page.' },
    ),
  },
  // Plain JavaScript (build and set-up scripts): no type information to check against.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked, languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly', Buffer: 'readonly' } } },
  // The MCP fixture server: outside the default project, whose file count typescript-eslint caps.
  { files: ['test/fixtures/mcp-server/*.mjs'], languageOptions: { parserOptions: { projectService: false, project: null } } },
);
