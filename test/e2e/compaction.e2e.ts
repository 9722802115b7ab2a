// Compaction in code-server: a conversation whose big answers pass 80% of the window in a few turns is
// compacted (the card with its summary appears, the next request carries the summary instead of the
// old turns, and the conversation goes on); Sonnet: Compact Conversation does it on demand; the
// header's meter shows what the mock provider received, within the estimate's error. Screenshots of
// the meter and the card in the four themes go to test-results/compaction/.

import assert from 'node:assert/strict';
import path from 'node:path';
import { SUMMARY_PREFIX } from '../../src/chat/compaction';
import { checkContext, mockSummary, type ContextChecks } from '../fixtures/contextChecks';
import { sseReply } from '../fixtures/transcripts';
import { RESULTS_DIR } from './harness';
import { useSonnet, type ChatView } from './sonnet';

const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'] as const;
/** About 54K tokens: three answers take a conversation past 80% of the 200K window. */
const BIG_ANSWER = `${'The answer goes on at length about the code. '.repeat(4200)}\n\nEnd of answer.`;

describe('Compaction in the Chat view', function () {
  // Five turns of about 54K tokens each, two summaries, then four themes: one story, longer than the default.
  this.timeout(300_000);
  const sonnet = useSonnet({ settings: { 'sonnet.maxRetries': 0 } });

  async function ask(chat: ChatView, text: string, checks: ContextChecks): Promise<void> {
    const before = checks.requests.length;
    await chat.send(text);
    await chat.waitForAnswer(`Answer to ${text}`, 60_000);
    assert.ok(checks.requests.length > before);
  }

  it('compacts a long conversation, sends the summary instead of the old turns, and goes on; on demand too', async function () {
    const checks = checkContext(sonnet.mock(), (request) => {
      const prompt = request.body.messages.at(-1).content as string;
      return sseReply({ blocks: [{ type: 'text', text: `Answer to ${prompt}\n\n${BIG_ANSWER}` }], deltaSize: 4096 });
    });
    const chat = await sonnet.chat();
    for (const turn of ['one', 'two']) await ask(chat, turn, checks);

    // The meter: the next request's estimate, against what the mock provider receives next.
    const meter = chat.frame.locator('#context-meter');
    await meter.waitFor();
    const shown = Number(await meter.getAttribute('aria-valuenow'));
    assert.match(await meter.innerText(), /^\d+(\.\d)?K$/);
    assert.match((await meter.getAttribute('title')) ?? '', /of 200,000 tokens/);
    assert.match((await meter.getAttribute('title')) ?? '', /History: [\d,]+/);
    await ask(chat, 'three', checks);
    const received = checks.requests.at(-1)!.estimatedTokens;
    assert.ok(Math.abs(shown - received) / received < 0.05, `meter ${shown}, received ${received}`);
    assert.equal(checks.summaries, 0);

    await ask(chat, 'four', checks);
    assert.equal(checks.summaries, 1, 'one summary request for the crossing');
    const [summary, after] = checks.requests.slice(-2);
    assert.equal(summary.kind, 'summary');
    assert.ok((after.body.messages[0].content as string).startsWith(`${SUMMARY_PREFIX}${mockSummary(1)}`));
    assert.ok(!JSON.stringify(after.body.messages).includes('Answer to one'), 'the old turns are not sent');

    const card = chat.frame.locator('.compaction-card');
    await card.waitFor();
    // Where it happened: before the answer of the turn whose request it made room for.
    assert.equal(await chat.lastAnswer.locator('.compaction-card').count(), 1);
    assert.match(await card.locator('summary').innerText(), /Conversation compacted\s*1 earlier turn summarized/);
    await card.locator('summary').click();
    assert.match(await card.locator('.compaction-body').innerText(), /Summary 1: the user reads big files one by one\./);
    assert.match(await card.locator('.usage').innerText(), /credits/);

    await sonnet.vsc().runCommand('Sonnet: Compact Conversation');
    // Turn four holds one compaction: the one asked for takes in the first, and is shown after the answer.
    await chat.lastAnswer.locator('.compaction-card:not(.running):last-child', { hasText: '3 earlier turns summarized' }).waitFor({ timeout: 60_000 });
    assert.equal(checks.summaries, 2);
    assert.match(checks.requests.at(-1)!.body.messages[0].content as string, /Earlier summary:\n## Decisions\nSummary 1/);
    const vsc = sonnet.vsc();
    const dir = path.join(RESULTS_DIR, 'compaction');
    for (const theme of THEMES) {
      await vsc.setColorTheme(theme);
      const view = await sonnet.chat();
      await view.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
      await view.frame.locator('.compaction-card').last().scrollIntoViewIfNeeded();
      await vsc.page.locator('.monaco-workbench .part.sidebar').screenshot({ path: path.join(dir, `${theme.replace(/\s+/g, '-')}.png`) });
    }
    console.log(`      screenshots: ${path.relative(process.cwd(), dir)}`);
    await vsc.setColorTheme('Light Modern');
    await ask(chat, 'five', checks);
    assert.equal(checks.summaries, 2, 'under the threshold after compacting: no summary request');
    assert.ok((checks.requests.at(-1)!.body.messages[0].content as string).startsWith(`${SUMMARY_PREFIX}${mockSummary(2)}`));
    assert.deepEqual(checks.problems, []);

  });
});
