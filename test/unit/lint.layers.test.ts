import * as assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '..', '..');

/** The layer rule messages ESLint gives `code` as if it were the file at `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  // The real config, its type-aware rules aside: the file does not exist for the TypeScript project.
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } }, ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((message) => message.message);
}

/** The README's layers hold by the lint, which `npm test` runs: a wrong import fails it. */
describe('lint: the layers', function () {
  this.timeout(60_000);

  const refused: Array<[string, string]> = [
    ['src/api/anything.ts', "import * as vscode from 'vscode';"],
    ['src/api/anything.ts', "import { Conversation } from '../chat/conversation';"],
    ['src/shared/anything.ts', "import { ChatController } from '../chat/chatController';"],
    ['src/chat/anything.ts', "import { lazyLog } from '../ui/log';"],
    ['src/chat/anything.ts', "import { readConfig } from '../config';"],
    ['src/tools/anything.ts', "import { displayOf } from './vscode/workspace';"],
    ['src/webview/anything.ts', "import { MessagesClient } from '../api/client';"],
    ['src/webview/markdown/anything.ts', "import { runTurn } from '../../chat/turnRun';"],
    ['src/webview/anything.ts', "import fs from 'node:fs';"],
    ['src/webview/anything.ts', "import path from 'path';"],
    ['src/tools/anything.ts', "import { runTurn } from '../chat/turnRun';"],
    ['src/checkpoints/anything.ts', "import * as vscode from 'vscode';"],
    ['src/mcp/anything.ts', "import * as vscode from 'vscode';"],
    ['src/mcp/anything.ts', "import { lazyLog } from '../ui/log';"],
    ['src/checkpoints/anything.ts', "import { lazyLog } from '../ui/log';"],
    ['src/checkpoints/anything.ts', "import { runTurn } from '../chat/turnRun';"],
    ['src/lm/anything.ts', "import * as vscode from 'vscode';"],
    ['src/lm/anything.ts', "import { plainPart } from './vscode/plainParts';"],
    ['src/lm/anything.ts', "import { readConfig } from '../config';"],
    ['src/chat/anything.ts', "import { plainPart } from '../lm/vscode/plainParts';"],
  ];
  for (const [file, code] of refused) {
    it(`refuses in ${file}: ${code}`, async () => {
      const errors = await layerErrors(file, `${code}\n`);
      assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/chat/anything.ts', "import { MessagesClient } from '../api/client';"],
    ['src/tools/anything.ts', "import type { Message } from '../api/types';"],
    ['src/webview/anything.ts', "import type { HostToWebview } from '../shared/protocol';"],
    ['src/webview/anything.ts', "import MarkdownIt from 'markdown-it';"],
    ['src/ui/anything.ts', "import * as vscode from 'vscode';"],
    ['src/tools/vscode/anything.ts', "import * as vscode from 'vscode';"],
    ['src/checkpoints/anything.ts', "import { spawn } from 'node:child_process';"],
    ['src/lm/anything.ts', "import { errorPresentation } from '../chat/errorPresentation';"],
    ['src/lm/vscode/anything.ts', "import * as vscode from 'vscode';"],
    ['src/mcp/anything.ts', "import type { McpToolSource } from '../tools/mcpToolSource';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code}`, async () => {
      assert.deepEqual(await layerErrors(file, `${code}\n`), []);
    });
  }
});
