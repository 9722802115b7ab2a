// Modes and per-chat auto-approval in a real VS Code (code-server): Ask sends no changing tools; Plan's
// Run this plan switches to Agent, whose next request has them; "Accept all edits in this chat" makes
// the next edit apply without a card, and the Auto-approving badge shows it. Screenshots of the picker
// and the badge in the four themes go to test-results/modes/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordedRequest } from '../fixtures/mockProvider';
import { sseReply } from '../fixtures/transcripts';
import { RUN_PLAN_PROMPT } from '../../src/shared/chatModes';
import { useSonnet } from './sonnet';

const CHANGING = ['create_file', 'edit_file', 'run_command'];
const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'] as const;

const toolNames = (request: RecordedRequest): string[] => (request.body.tools ?? []).map((tool: { name: string }) => tool.name);
const hasToolResult = (request: RecordedRequest) => {
  const last = request.body.messages.at(-1);
  return Array.isArray(last.content) && last.content.some((block: { type: string }) => block.type === 'tool_result');
};

describe('modes and per-chat auto-approval', function () {
  this.timeout(120_000);
  const sonnet = useSonnet({ files: { 'src/app.ts': 'export const answer = 41;\n' } });
  const onDisk = () => fs.readFileSync(path.join(sonnet.vsc().server.workspace, 'src/app.ts'), 'utf8');

  afterEach(async () => {
    await sonnet.vsc().runCommand('Sonnet: New Chat');
  });

  // First: the view's restore of the last conversation, which ends after it opens, is then over.
  it('"Accept all edits in this chat": the next edit applies without a card, and the badge shows it', async () => {
    let edits = 0;
    sonnet.mock().onMessages((request) => {
      if (hasToolResult(request)) return sseReply({ blocks: [{ type: 'text', text: `Edit ${edits} done.` }] });
      edits++;
      const [from, to] = edits === 1 ? ['41', '42'] : ['42', '43'];
      return sseReply({ blocks: [{ type: 'tool_use', id: `toolu_edit_${edits}`, name: 'edit_file', input: { path: 'src/app.ts', oldText: from, newText: to } }], stopReason: 'tool_use' });
    });
    const chat = await sonnet.chat();
    const badge = chat.frame.locator('#auto-approving');
    assert.equal(await badge.isVisible(), false);
    await chat.send('Make it 42');
    const waiting = chat.lastAnswer.locator('.tool-call[data-status="awaitingApproval"]');
    await waiting.waitFor();
    await waiting.locator('button', { hasText: 'Accept all edits in this chat' }).click();
    await chat.waitForAnswer('Edit 1 done.');
    assert.equal(onDisk(), 'export const answer = 42;\n');
    await badge.waitFor();
    assert.match((await badge.getAttribute('title')) ?? '', /^Auto-approving edits in this chat\./);

    await chat.send('Now 43');
    await chat.waitForAnswer('Edit 2 done.');
    assert.equal(onDisk(), 'export const answer = 43;\n');
    assert.equal(await chat.lastAnswer.locator('.tool-call[data-status="done"]').count(), 1);
    assert.equal(await chat.frame.locator('.tool-call[data-status="awaitingApproval"]').count(), 0);

    // The picker and the badge in each theme, to look at.
    const vsc = sonnet.vsc();
    const dir = path.join('test-results', 'modes');
    fs.mkdirSync(dir, { recursive: true });
    await chat.frame.locator('#mode-picker').focus();
    for (const theme of THEMES) {
      await vsc.setColorTheme(theme);
      await chat.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
      await vsc.page.locator('.monaco-workbench .part.sidebar').screenshot({ path: path.join(dir, `${theme.replace(/\s+/g, '-')}.png`) });
    }
    await vsc.setColorTheme('Dark Modern');

    // A click turns this chat's auto-approval off.
    await badge.click();
    await badge.waitFor({ state: 'hidden' });
  });

  it('Ask sends no tool that changes anything, and the turn says Ask', async () => {
    sonnet.mock().onMessages(() => sseReply({ blocks: [{ type: 'text', text: 'It answers 41.' }] }));
    const chat = await sonnet.chat();
    await chat.frame.locator('#mode-picker').selectOption('ask');
    await chat.send('What does app.ts answer?');
    await chat.waitForAnswer('It answers 41.');
    const tools = toolNames(sonnet.mock().messageRequests[0]);
    assert.ok(tools.includes('read_file'), tools.join());
    assert.deepEqual(tools.filter((name) => CHANGING.includes(name)), []);
    assert.match(String(sonnet.mock().messageRequests[0].body.system), /Ask mode/);
    assert.equal((await chat.lastUserTurn.locator('.turn-mode').innerText()).trim(), 'Ask');
  });

  it('Plan answers with a plan; Run this plan switches to Agent, and the next request has the changing tools', async () => {
    sonnet.mock().onMessages((request) =>
      sseReply({ blocks: [{ type: 'text', text: request.body.messages.length === 1 ? '1. Change 41 to 42.\n2. Test it.' : 'Carried out.' }] }),
    );
    const chat = await sonnet.chat();
    await chat.frame.locator('#mode-picker').selectOption('plan');
    await chat.send('Plan the change');
    await chat.waitForAnswer('Change 41 to 42.');
    assert.deepEqual(toolNames(sonnet.mock().messageRequests[0]).filter((name) => CHANGING.includes(name)), []);
    await chat.lastAnswer.locator('button.run-plan').click();
    await chat.waitForAnswer('Carried out.');
    const next = sonnet.mock().messageRequests[1];
    assert.deepEqual(toolNames(next).filter((name) => CHANGING.includes(name)).sort(), CHANGING);
    assert.equal(next.body.messages.at(-1).content, RUN_PLAN_PROMPT);
    assert.equal(await chat.frame.locator('#mode-picker').inputValue(), 'agent');
    assert.equal((await chat.lastUserTurn.locator('.turn-mode').innerText()).trim(), 'Agent');
  });
});
