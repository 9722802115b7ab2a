// The editor tools in a real VS Code: the model reads a workspace file and answers from it; an edit is
// shown as a diff, accepted in the tool card and undone in the editor; a rejected edit leaves the file
// as it was. The mock provider plays the model: it calls a tool, then answers from the tool's result.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { cutOffToolInputEvents, sseBody, sseReply, type BlockScript } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

const FACTS = 'The project code name is PERIWINKLE.\n';
const APP = 'export const answer = 41;\n';
const KEEP = 'export const kept = true;\n';
const BUILT = 'export const answer = 41; // built\n';
/** A line that holds JavaScript's RegExp for minutes with (a+)+$, then one that matches it. */
const SEPARATORS = `${'a'.repeat(30)}b\n${'a'.repeat(30)}\n`;

/** The first tool result of the request's last message, if it has one. */
function toolResultOf(request: RecordedRequest): { content: string; is_error?: boolean } | undefined {
  const last = request.body.messages.at(-1);
  return Array.isArray(last.content) ? last.content.find((block: { type: string }) => block.type === 'tool_result') : undefined;
}

/** A model that makes tool calls (side by side), then answers with what `answer` makes of the first result. */
function callsThenAnswers(call: BlockScript | BlockScript[], answer: (result: { content: string; is_error?: boolean }) => string) {
  return (request: RecordedRequest) => {
    const result = toolResultOf(request);
    return result
      ? sseReply({ blocks: [{ type: 'text', text: answer(result) }] })
      : sseReply({ blocks: [{ type: 'text', text: 'Let me look.' }, ...[call].flat()], stopReason: 'tool_use' });
  };
}

describe('Editor tools', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({
    files: { 'notes/facts.md': FACTS, 'src/app.ts': APP, 'src/keep.ts': KEEP, '.gitignore': 'build/\n', 'build/app.js': BUILT, 'notes/separators.txt': SEPARATORS },
  });
  const onDisk = (file: string) => fs.readFileSync(path.join(sonnet.vsc().server.workspace, file), 'utf8');

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('reads a workspace file and answers from it', async () => {
    sonnet.mock().onMessages(
      callsThenAnswers({ type: 'tool_use', id: 'toolu_read', name: 'read_file', input: { path: 'notes/facts.md' } }, (result) => {
        const line = result.content.split('\n').find((text) => text.includes('code name')) ?? 'nothing';
        return `The file says: ${line.replace(/^\s*\d+ \| /, '')}`;
      }),
    );
    const chat = await sonnet.chat();
    await chat.send('What is the code name?');
    assert.match(await chat.waitForAnswer('PERIWINKLE'), /The file says: The project code name is PERIWINKLE\./);

    const card = chat.lastAnswer.locator('.tool-call[data-status="done"]');
    await card.waitFor();
    assert.match(await card.innerText(), /read_file\s*notes\/facts\.md/);
    const [, second] = sonnet.mock().messageRequests;
    const result = toolResultOf(second)!;
    assert.equal(result.is_error, undefined);
    assert.match(result.content, /^notes\/facts\.md, lines 1–1 of 1:\n1 \| The project code name is PERIWINKLE\.$/);
    assert.deepEqual(
      sonnet.mock().messageRequests[0].body.tools.map((tool: { name: string }) => tool.name),
      ['read_file', 'list_directory', 'find_files', 'search_text', 'get_diagnostics', 'get_selection', 'edit_file', 'create_file', 'run_command'],
    );
  });

  it('marks a call whose input the token limit cut off, with the complete part of it', async () => {
    const input = { path: 'notes/facts.md', reason: 'to find the code name' };
    const call: BlockScript = { type: 'tool_use', id: 'toolu_cut', name: 'read_file', input };
    const cut = cutOffToolInputEvents({ blocks: [{ type: 'text', text: 'Let me look.' }, call], deltaSize: 4 }, JSON.stringify(input).indexOf('find'));
    sonnet.mock().enqueue({ kind: 'sse', body: sseBody(cut) });
    const chat = await sonnet.chat();
    await chat.send('What is the code name?');
    const card = chat.lastAnswer.locator('.tool-call[data-input-cut-off][data-status="cancelled"]');
    await card.waitFor();
    await chat.waitForAnswerToSettle();
    await card.locator('summary').click();
    const text = await card.innerText();
    assert.match(text, /read_file\s*notes\/facts\.md\s*input cut off/);
    assert.match(text, /Input, cut off before it was complete/);
    assert.deepEqual(JSON.parse(await card.locator('.tool-input').innerText()), { path: 'notes/facts.md' });
    assert.equal(sonnet.mock().messageRequests.length, 1, 'the cut-off call was not run');
  });

  it('finds files and searches text side by side, leaving out what .gitignore ignores', async () => {
    sonnet.mock().onMessages(
      callsThenAnswers(
        [
          { type: 'tool_use', id: 'toolu_find', name: 'find_files', input: { pattern: '**/*.{ts,js}' } },
          { type: 'tool_use', id: 'toolu_search', name: 'search_text', input: { query: 'answer = 41' } },
        ],
        () => 'Found them.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Where is the answer defined?');
    await chat.waitForAnswer('Found them.');
    const results = sonnet.mock().messageRequests[1].body.messages.at(-1).content as Array<{ tool_use_id: string; content: string; is_error?: boolean }>;
    assert.deepEqual(results.map((result) => [result.tool_use_id, result.is_error ?? false]), [['toolu_find', false], ['toolu_search', false]]);
    assert.equal(results[0].content, 'src/app.ts\nsrc/keep.ts');
    assert.equal(results[1].content, '1 match in 1 file:\nsrc/app.ts:1: export const answer = 41;');
    assert.equal(await chat.lastAnswer.locator('.tool-call[data-status="done"]').count(), 2);
  });

  it('answers a search with a catastrophic regex at once, and the view stays usable', async () => {
    sonnet.mock().onMessages((request) => {
      const result = toolResultOf(request);
      if (result) return sseReply({ blocks: [{ type: 'text', text: `Search said: ${result.content.split('\n')[0]}` }] });
      if (request.body.messages.length > 1) return sseReply({ blocks: [{ type: 'text', text: 'Still here.' }] });
      return sseReply({
        blocks: [{ type: 'tool_use', id: 'toolu_hostile', name: 'search_text', input: { query: '(a+)+$', isRegex: true } }],
        stopReason: 'tool_use',
      });
    });
    const chat = await sonnet.chat();
    await chat.send('Find the separator lines');
    await chat.waitForAnswer('Search said: 1 match in 1 file:');
    const result = toolResultOf(sonnet.mock().messageRequests[1])!;
    assert.equal(result.content, `1 match in 1 file:\nnotes/separators.txt:2: ${'a'.repeat(30)}`);
    await chat.send('Are you still there?');
    await chat.waitForAnswer('Still here.');
  });

  it('shows an edit as a diff, applies it when accepted, and Undo takes it back', async () => {
    const vsc = sonnet.vsc();
    sonnet.mock().onMessages(
      callsThenAnswers({ type: 'tool_use', id: 'toolu_edit', name: 'edit_file', input: { path: 'src/app.ts', oldText: '41', newText: '42' } }, (result) =>
        result.is_error ? `It failed: ${result.content}` : 'Changed it to 42.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Make the answer 42');

    const diffTab = vsc.page.locator('.tabs-container .tab', { hasText: 'change proposed by Sonnet' });
    await diffTab.waitFor();
    const accept = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"] button[data-approve="true"]');
    await accept.waitFor();
    assert.equal(onDisk('src/app.ts'), APP, 'nothing changes before the user accepts');
    await accept.click();

    await chat.waitForAnswer('Changed it to 42.');
    await diffTab.waitFor({ state: 'detached' });
    assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    assert.match(toolResultOf(sonnet.mock().messageRequests[1])!.content, /^Edited src\/app\.ts: replaced line 1\. The change is applied and saved\.$/);

    // The edited file is shown; Undo in it restores the text as it was.
    const editorText = vsc.activeEditor.locator('.view-lines');
    await vsc.page.locator('.tabs-container .tab.active', { hasText: 'app.ts' }).waitFor();
    await vsc.activeEditor.click();
    await vsc.page.keyboard.press('Control+z');
    await editorText.filter({ hasText: 'answer = 41' }).waitFor();
  });

  it('creates a new file, in a new folder, when accepted from the diff editor', async () => {
    const vsc = sonnet.vsc();
    sonnet.mock().onMessages(
      callsThenAnswers({ type: 'tool_use', id: 'toolu_create', name: 'create_file', input: { path: 'docs/new/notes.md', content: '# Notes\n' } }, (result) =>
        result.is_error ? `It failed: ${result.content}` : 'Created the notes.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Start a notes file');

    await vsc.page.locator('.tabs-container .tab', { hasText: 'new file, proposed by Sonnet' }).waitFor();
    await chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]').waitFor();
    assert.equal(fs.existsSync(path.join(vsc.server.workspace, 'docs')), false, 'nothing is created before the user accepts');
    await vsc.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Accept Change"]').click();

    await chat.waitForAnswer('Created the notes.');
    assert.equal(onDisk('docs/new/notes.md'), '# Notes\n');
    assert.equal(toolResultOf(sonnet.mock().messageRequests[1])!.content, 'Created docs/new/notes.md (1 line).');
  });

  it('leaves the file untouched when the edit is rejected from the diff editor', async () => {
    const vsc = sonnet.vsc();
    sonnet.mock().onMessages(
      callsThenAnswers({ type: 'tool_use', id: 'toolu_reject', name: 'edit_file', input: { path: 'src/keep.ts', oldText: 'true', newText: 'false' } }, (result) =>
        result.is_error ? 'Understood, I left it alone.' : 'Changed it.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Turn kept off');

    await vsc.page.locator('.tabs-container .tab', { hasText: 'change proposed by Sonnet' }).waitFor();
    await chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]').waitFor();
    await vsc.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Reject Change"]').click();

    await chat.waitForAnswer('Understood, I left it alone.');
    const result = toolResultOf(sonnet.mock().messageRequests[1])!;
    assert.equal(result.is_error, true);
    assert.match(result.content, /rejected this tool call; nothing was done/);
    assert.equal(onDisk('src/keep.ts'), KEEP);
    await chat.lastAnswer.locator('.tool-call[data-status="rejected"]').waitFor();
    assert.equal(await vsc.page.locator('.tabs-container .tab.dirty').count(), 0, 'no editor has unsaved changes');
  });
});

// A cloned repository can ship links to its own secrets; they are judged by where they lead.
describe('Editor tools and symbolic links', function () {
  this.timeout(90_000);
  const ENV = 'API_KEY=hunter2\n';
  const GIT_CONFIG = '[core]\n\tbare = false\n';
  const sonnet = useSonnet({
    files: { '.env': ENV, '.git/config': GIT_CONFIG, 'src/app.ts': APP },
    links: { envlink: '.env', gitlink: '.git' },
    settings: { 'sonnet.tools.autoApproveEdits': true },
  });
  const onDisk = (file: string) => fs.readFileSync(path.join(sonnet.vsc().server.workspace, file), 'utf8');

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  it('asks before reading .env through a link, naming where it leads', async () => {
    sonnet.mock().onMessages(
      callsThenAnswers({ type: 'tool_use', id: 'toolu_envlink', name: 'read_file', input: { path: 'envlink' } }, (result) =>
        result.is_error ? 'I may not read it.' : 'Read it.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('What is in envlink?');

    const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
    await waiting.waitFor();
    assert.equal(
      (await waiting.locator('.tool-question').innerText()).trim(),
      'Allow Sonnet to read envlink → .env? It is an environment file, which may hold secrets.',
    );
    await waiting.locator('button[data-approve="false"]').click();

    await chat.waitForAnswer('I may not read it.');
    const result = toolResultOf(sonnet.mock().messageRequests[1])!;
    assert.equal(result.is_error, true);
    assert.doesNotMatch(JSON.stringify(sonnet.mock().messageRequests[1].body), /hunter2/);
  });

  it('refuses an edit of .git/config through a link, though edits are approved automatically', async () => {
    sonnet.mock().onMessages(
      callsThenAnswers(
        { type: 'tool_use', id: 'toolu_gitlink', name: 'edit_file', input: { path: 'gitlink/config', oldText: 'bare = false', newText: 'fsmonitor = touch pwned' } },
        (result) => (result.is_error ? 'Refused.' : 'Changed it.'),
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Speed up git status');

    await chat.waitForAnswer('Refused.');
    const result = toolResultOf(sonnet.mock().messageRequests[1])!;
    assert.equal(result.is_error, true);
    assert.equal(
      result.content,
      "gitlink/config cannot be changed: it leads to .git/config, and Git's internal folder is never written by tools (Git runs its hooks and config as commands).",
    );
    await chat.lastAnswer.locator('.tool-call[data-status="failed"]').waitFor();
    assert.equal(onDisk('.git/config'), GIT_CONFIG);
  });
});

describe('Search tools in a multi-root workspace', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({
    files: {
      'both.code-workspace': JSON.stringify({ folders: [{ path: 'frontend' }, { path: 'backend' }] }),
      'frontend/src/app.ts': 'export const side = "front";\n',
      'frontend/gen/out.ts': 'export const side = "front, generated";\n',
      'backend/src/app.ts': 'export const side = "back";\n',
      'backend/gen/out.ts': 'export const side = "back, generated";\n',
      // A folder's own setting: only the backend leaves out its generated code.
      'backend/.vscode/settings.json': JSON.stringify({ 'search.exclude': { gen: true } }),
    },
    workspaceFile: 'both.code-workspace',
  });

  it("applies each folder's own excludes, and a glob may start with the folder name the results show", async () => {
    sonnet.mock().onMessages(
      callsThenAnswers(
        [
          { type: 'tool_use', id: 'toolu_all', name: 'find_files', input: { pattern: '**/*.ts' } },
          { type: 'tool_use', id: 'toolu_front', name: 'find_files', input: { pattern: 'frontend/src/**' } },
          { type: 'tool_use', id: 'toolu_back', name: 'search_text', input: { query: 'side', include: 'backend/**/*.ts' } },
        ],
        () => 'Found them.',
      ),
    );
    const chat = await sonnet.chat();
    await chat.send('Where is the side defined?');
    await chat.waitForAnswer('Found them.');
    const results = sonnet.mock().messageRequests[1].body.messages.at(-1).content as Array<{ content: string }>;
    assert.deepEqual(
      results.map((result) => result.content),
      [
        'frontend/gen/out.ts\nfrontend/src/app.ts\nbackend/src/app.ts',
        'frontend/src/app.ts',
        '1 match in 1 file:\nbackend/src/app.ts:1: export const side = "back";',
      ],
    );
  });
});
