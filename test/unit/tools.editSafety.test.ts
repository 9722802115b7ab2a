// The changing tools on a real folder, against what can happen while they wait: Stop arriving while
// the document opens, and a symbolic link swapped while the user decides. The fake vscode reads and
// writes the disk (a document is saved through its path as it is then), and the chat's own loop runs
// the calls against the mock provider.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ToolUseBlock } from '../../src/api/types';
import type { ToolLoopEvents } from '../../src/chat/toolLoop';
import type { ToolOutcome, ToolRunContext, ToolRunner } from '../../src/tools/types';
import type { ToolCallView } from '../../src/shared/protocol';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { sseReply } from '../fixtures/transcripts';
import { callAnswering, clientFor, useMockProvider } from './helpers';
import { useToolWorkspace } from './toolWorkspace';

const APP = 'export const answer = 41;\n';
const ENV = 'API_KEY=hunter2\n';

describe('edit tools: Stop and swapped links while a change waits', () => {
  const vscode = sharedFakeVscode().api;
  const mock = useMockProvider();
  const ws = useToolWorkspace('sonnet-edit-safety-', async (edit) => {
    const { editTools } = await import('../../src/tools/vscode/editTools');
    return editTools(edit);
  });

  beforeEach(() => {
    fs.rmSync(ws.root, { recursive: true, force: true });
    for (const [name, text] of Object.entries({ 'src/app.ts': APP, '.env': ENV, '.git/hooks/pre-commit.sample': '#!/bin/sh\n' })) {
      fs.mkdirSync(path.dirname(path.join(ws.root, name)), { recursive: true });
      fs.writeFileSync(path.join(ws.root, name), text);
    }
  });
  const onDisk = (name: string) => fs.readFileSync(path.join(ws.root, name), 'utf8');

  describe('Stop while edit_file opens its document', () => {
    const originalOpen = vscode.workspace.openTextDocument;
    afterEach(() => {
      vscode.workspace.openTextDocument = originalOpen;
    });

    /**
     * One turn in which the model calls edit_file and the user presses Stop as the document is
     * being opened; resolves once the turn has ended and the handler, which outlives it, has too.
     */
    async function stopWhileOpening(): Promise<{ status: string; outcomes: ToolOutcome[]; card: ToolCallView | undefined }> {
      const edit = { type: 'tool_use' as const, id: 'toolu_stop', name: 'edit_file', input: { path: 'src/app.ts', oldText: '41', newText: '42' } };
      mock().enqueue(sseReply({ blocks: [edit], stopReason: 'tool_use' }));
      const stop = new AbortController();
      vscode.workspace.openTextDocument = (uri: unknown) => {
        stop.abort();
        return originalOpen(uri);
      };
      const handlers: Array<Promise<ToolOutcome>> = [];
      const tools: ToolRunner = {
        definitions: () => ws.registry.definitions(),
        describe: (name, input) => ws.registry.describe(name, input),
        run: (call: ToolUseBlock, context: ToolRunContext) => {
          const run = ws.registry.run(call, context);
          handlers.push(run);
          return run;
        },
      };
      const cards: ToolCallView[] = [];
      const events: ToolLoopEvents = { onBlockStart: () => {}, onTextDelta: () => {}, onThinkingDelta: () => {}, onRetry: () => {}, onToolCall: (_index, call) => cards.push(call) };
      const { runToolLoop } = await import('../../src/chat/toolLoop');
      const result = await runToolLoop({
        client: clientFor(mock()),
        buildRequest: (messages, definitions) => ({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages, tools: definitions }),
        prompt: { role: 'user', content: 'Make the answer 42' },
        tools,
        maxRounds: 5,
        signal: stop.signal,
        events,
      });
      const outcomes = await Promise.all(handlers);
      return { status: result.status, outcomes, card: cards.at(-1) };
    }

    it('with autoApproveEdits on, the file is not changed after Stop', async () => {
      ws.autoApproveEdits = true;
      const { status, outcomes, card } = await stopWhileOpening();
      assert.equal(status, 'stopped');
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['cancelled']);
      assert.equal(onDisk('src/app.ts'), APP);
      assert.equal(card?.status, 'cancelled');
    });

    it('without it, no diff opens and the finished card is not turned back to "awaiting approval"', async () => {
      const { outcomes, card } = await stopWhileOpening();
      assert.deepEqual(outcomes.map((outcome) => outcome.status), ['cancelled']);
      assert.deepEqual(ws.shown, []);
      assert.equal(card?.status, 'cancelled');
      assert.equal(onDisk('src/app.ts'), APP);
    });
  });

  describe('a link swapped while the approval waits', () => {
    /** Runs one call; when it asks, `meanwhile` runs, then the user accepts. */
    const acceptAfter = (name: string, input: unknown, meanwhile: () => void) => callAnswering(ws, name, input, true, meanwhile);
    const relink = (link: string, target: string) => {
      fs.rmSync(path.join(ws.root, link));
      fs.symlinkSync(target, path.join(ws.root, link));
    };

    it('edit_file through a link that now leads to .env is refused, and .env is untouched', async () => {
      fs.symlinkSync('src/app.ts', path.join(ws.root, 'current.ts'));
      const { outcome, questions } = await acceptAfter('edit_file', { path: 'current.ts', oldText: '41', newText: '42' }, () => relink('current.ts', '.env'));
      assert.deepEqual(questions, ['Apply this change to current.ts (line 1)?']);
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.content, 'current.ts now leads to .env, not to src/app.ts as when the change was proposed, so it was not applied. Read the file again and redo the edit.');
      assert.equal(onDisk('.env'), ENV);
      assert.equal(onDisk('src/app.ts'), APP);
    });

    it("create_file through a folder link that now leads into .git is refused, and nothing is written there", async () => {
      fs.symlinkSync('src', path.join(ws.root, 'scripts'));
      const { outcome, questions } = await acceptAfter('create_file', { path: 'scripts/pre-commit', content: '#!/bin/sh\ncurl evil\n' }, () => relink('scripts', '.git/hooks'));
      assert.deepEqual(questions, ['Create scripts/pre-commit?']);
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.content, /^scripts\/pre-commit cannot be created: it leads to \.git\/hooks\/pre-commit, and Git's internal folder is never written/);
      assert.equal(fs.existsSync(path.join(ws.root, '.git/hooks/pre-commit')), false);
      assert.equal(fs.existsSync(path.join(ws.root, 'src/pre-commit')), false);
    });

    it('a link that still leads where it did is applied as accepted', async () => {
      fs.symlinkSync('src/app.ts', path.join(ws.root, 'current.ts'));
      const { outcome } = await acceptAfter('edit_file', { path: 'current.ts', oldText: '41', newText: '42' }, () => relink('current.ts', 'src/app.ts'));
      assert.equal(outcome.status, 'done', outcome.content);
      assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    });
  });
});
