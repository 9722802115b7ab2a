// "Accept all edits in this chat" and the limit on tool rounds in a row that ran without a click,
// through the chat's own loop: the real edit tools on a real folder (the fake vscode reads and writes
// the disk), run_command as a real child process, the mock provider as the model.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MessagesClient } from '../../src/api/client';
import { ChatController } from '../../src/chat/chatController';
import { plainPrompt } from '../../src/chat/prompts';
import { DEFAULT_CONFIG } from '../../src/chat/settings';
import type { ToolCallView } from '../../src/shared/protocol';
import type { CommandRules } from '../../src/tools/commandRules';
import { sseReply } from '../fixtures/transcripts';
import { useMockProvider } from './helpers';
import { useToolWorkspace } from './toolWorkspace';

describe('ChatController: what runs without a click', function () {
  this.timeout(20_000);
  const mock = useMockProvider();
  const state = { rules: { allow: [], deny: [] } as CommandRules };
  const ws = useToolWorkspace('sonnet-auto-approve-', async (edit) => {
    const { editTools } = await import('../../src/tools/vscode/editTools');
    const { commandTool } = await import('../../src/tools/vscode/commandTool');
    const { shellCommand, startProcess } = await import('../../src/tools/processRunner');
    const { normalizeToolSettings } = await import('../../src/tools/settings');
    return [
      ...editTools(edit),
      commandTool({
        terminals: {
          start: async (command, cwd, signal) => {
            const running = await startProcess({ shell: shellCommand('/bin/sh', command), cwd: cwd.fsPath, signal });
            return running && { way: 'childProcess', running };
          },
        },
        shell: () => '/bin/sh',
        settings: () => ({ ...edit.settings(), ...normalizeToolSettings({ commandRules: state.rules }) }),
        limits: () => ({ commandTimeoutMs: 10_000 }),
        allowAlways: async () => {},
        log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
      }),
    ];
  });

  beforeEach(() => {
    fs.rmSync(ws.root, { recursive: true, force: true });
    fs.mkdirSync(path.join(ws.root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'src/app.ts'), 'export const answer = 41;\n');
    fs.writeFileSync(path.join(ws.root, '.env'), 'API_KEY=hunter2\n');
    state.rules = { allow: [], deny: [] };
  });
  const onDisk = (name: string) => fs.readFileSync(path.join(ws.root, name), 'utf8');

  /** The chat; each card that asks is recorded and answered with the next of `answers`. */
  function setup(maxAutoApprovedRounds = 20) {
    const answers: Array<{ approved: boolean; always?: boolean }> = [];
    const cards: ToolCallView[] = [];
    let approvalChanges = 0;
    const controller = new ChatController({
      sink: {
        post: (update) => {
          if (update.type !== 'toolCall' || update.call.status !== 'awaitingApproval') return;
          cards.push(update.call);
          const answer = answers.shift();
          assert.ok(answer, `${update.call.name} asked: ${update.call.question}`);
          queueMicrotask(() => ws.approvals.answer(update.call.id, answer.approved, answer.always));
        },
        refresh: () => {},
      },
      readConfig: () => ({ ...DEFAULT_CONFIG, baseUrl: mock().url, timeoutMs: 5000, maxAutoApprovedRounds }),
      resolveApiKey: async () => 'sk-test-123456',
      createClient: (options) => new MessagesClient(options),
      tools: ws.registry,
      onApprovalsChange: () => approvalChanges++,
    });
    return { controller, answers, cards, approvalChanges: () => approvalChanges };
  }

  let ids = 0;
  const call = (name: string, input: unknown) => sseReply({ blocks: [{ type: 'tool_use', id: `toolu_${++ids}`, name, input }], stopReason: 'tool_use' });
  const answer = (text: string) => sseReply({ blocks: [{ type: 'text', text }] });
  async function turn(controller: ChatController, ...replies: ReturnType<typeof answer>[]) {
    for (const reply of [...replies, answer('Done.')]) mock().enqueue(reply);
    controller.send(plainPrompt('Go on'));
    await controller.whenIdle();
  }
  const edit = (oldText: string, newText: string, file = 'src/app.ts') => call('edit_file', { path: file, oldText, newText });

  it('"Accept all edits in this chat" applies the later edits of that chat without a card, never secrets, and not in another chat', async () => {
    const { controller, answers, cards, approvalChanges } = setup();
    answers.push({ approved: true, always: true });
    await turn(controller, edit('41', '42'));
    assert.equal(cards.length, 1);
    assert.equal(cards[0].acceptAllEdits, true, 'the card offers it');
    assert.equal(onDisk('src/app.ts'), 'export const answer = 42;\n');
    assert.equal(controller.current.approvals.editsInChat, true);
    assert.equal(approvalChanges(), 1, 'the view hears of it (the badge)');

    await turn(controller, edit('42', '43'), call('create_file', { path: 'src/new.ts', content: 'new\n' }));
    assert.equal(cards.length, 1, 'no card for the next edit nor the new file');
    assert.equal(onDisk('src/app.ts'), 'export const answer = 43;\n');
    assert.equal(onDisk('src/new.ts'), 'new\n');

    // A file that may hold secrets asks all the same, without the offer.
    answers.push({ approved: false });
    await turn(controller, edit('hunter2', 'x', '.env'));
    assert.equal(cards.length, 2);
    assert.match(cards[1].question ?? '', /may hold secrets/);
    assert.equal(cards[1].acceptAllEdits, undefined);
    assert.equal(onDisk('.env'), 'API_KEY=hunter2\n');

    // Another conversation asks again.
    controller.newChat();
    answers.push({ approved: false });
    await turn(controller, edit('43', '44'));
    assert.equal(cards.length, 3);
    assert.equal(onDisk('src/app.ts'), 'export const answer = 43;\n');
  });

  it('pauses after the set number of tool rounds in a row that ran without a click, edits and commands alike; an answer starts the count again', async () => {
    ws.autoApproveEdits = true;
    state.rules = { allow: ['echo'], deny: [] };
    const { controller, answers, cards } = setup(2);
    answers.push({ approved: true });
    await turn(controller, edit('41', '42'), call('run_command', { command: 'echo one' }), edit('42', '43'), call('run_command', { command: 'echo two' }));
    assert.equal(cards.length, 1, 'only the third round asks');
    assert.equal(cards[0].name, 'edit_file');
    assert.match(cards[0].question ?? '', /2 tool rounds in a row ran without asking \(sonnet\.tools\.maxAutoApprovedRounds\), so this one asks\.$/);
    assert.equal(onDisk('src/app.ts'), 'export const answer = 43;\n');
    const results = mock().messageRequests.map((request) => request.body.messages.at(-1).content).filter(Array.isArray).map((content) => content[0].content as string);
    assert.match(results.at(-1)!, /Exit code 0[\s\S]*two/, 'the fourth round ran by its rule again');
  });
});
