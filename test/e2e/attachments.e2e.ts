// Context attached from the editor: the active file and a selection become chips that can be removed;
// what is sent carries the code with its path, language and lines, and the bubble only names it.

import assert from 'node:assert/strict';
import { sseReply } from '../fixtures/transcripts';
import { useSonnet } from './sonnet';

const CALC_PY = `def add(a, b):
    return a + b


def sub(a, b):
    return a - b
`;

describe('Attachments', function () {
  this.timeout(90_000);
  const sonnet = useSonnet({ files: { 'src/calc.py': CALC_PY, 'data/blob.bin': 'PK\u0000\u0003binary\u0000' } });

  it('attaches the active file and a selection as chips, and sends the code but shows only references', async () => {
    const vsc = sonnet.vsc();
    await vsc.openFile('src/calc.py');
    await vsc.selectLines(5, 6);
    const chat = await sonnet.chat();
    const chips = chat.frame.locator('#attachments .attachment-chip');

    await chat.frame.locator('#attach-selection').click();
    await chips.filter({ hasText: 'src/calc.py:5-6' }).waitFor();
    await chat.frame.locator('#attach-file').click();
    await chips.filter({ hasText: /^src\/calc\.py$/ }).waitFor();
    assert.equal(await chips.count(), 2);
    await chips.filter({ hasText: /^src\/calc\.py$/ }).locator('button').click();
    await chips.filter({ hasText: /^src\/calc\.py$/ }).waitFor({ state: 'detached' });

    sonnet.mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'It subtracts.' }] }));
    await chat.send('What does this do?');
    await chat.waitForAnswer('It subtracts.');
    assert.equal(await chips.count(), 0, 'the chips are used up by the message');

    const bubble = (await chat.lastUserTurn.innerText()).trim();
    assert.match(bubble, /What does this do\?/);
    assert.match(bubble, /src\/calc\.py:5-6/);
    assert.ok(!bubble.includes('return a - b'), `the bubble shows a reference, not the code: ${bubble}`);

    const [message] = sonnet.mock().messageRequests.at(-1)!.body.messages;
    assert.equal(
      message.content,
      'Attached `src/calc.py` (lines 5–6, language: python):\n```python\ndef sub(a, b):\n    return a - b\n```\n\nWhat does this do?',
    );
  });

  it('refuses a binary file with a clear message', async () => {
    const vsc = sonnet.vsc();
    // VS Code shows a binary file as a notice, not an editor, which `openFile` waits for in vain.
    await vsc.openFile('data/blob.bin', { timeoutMs: 5_000 }).catch(() => undefined);
    await vsc.page.locator('.tabs-container .tab.active[data-resource-name="blob.bin"]').waitFor();
    const chat = await sonnet.chat();
    await chat.frame.locator('#attach-file').click();
    await vsc.notification(/blob\.bin.*(binary|not a text file)/);
    assert.equal(await chat.frame.locator('#attachments .attachment-chip').count(), 0);
  });
});
