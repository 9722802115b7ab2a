import * as assert from 'node:assert/strict';
import { AttachmentTray, capAttachment, looksBinary, MAX_ATTACHMENT_CHARS, promptWithAttachments } from '../../src/chat/attachments';
import type { Selection } from '../../src/chat/prompts';

function source(path: string, code: string, startLine = 1): Selection {
  const lines = code.split('\n').length - (code.endsWith('\n') ? 1 : 0);
  return { path, code, languageId: 'typescript', startLine, endLine: startLine + lines - 1 };
}

describe('attachments', () => {
  it('puts the attached code before the question, and only references in the bubble', () => {
    const tray = new AttachmentTray();
    tray.add('file', source('src/app.ts', 'export const a = 1;\nexport const b = 2;\n'));
    tray.add('selection', source('src/util.ts', 'function f() {}\n', 12));
    const prompt = promptWithAttachments('What do these do?', tray.attachments);
    assert.equal(prompt.text, 'What do these do?\n\nAttached: `src/app.ts`, `src/util.ts:12`');
    assert.ok(!prompt.text.includes('export const'));
    assert.equal(
      prompt.content,
      'Attached `src/app.ts` (lines 1–2, language: typescript):\n```typescript\nexport const a = 1;\nexport const b = 2;\n```\n\n' +
        'Attached `src/util.ts` (line 12, language: typescript):\n```typescript\nfunction f() {}\n```\n\n' +
        'What do these do?',
    );
    assert.equal(prompt.reference, undefined);
  });

  it('names a single attachment as the prompt’s reference, and sends attachments without a question', () => {
    const tray = new AttachmentTray();
    tray.add('selection', source('a.py', 'x = 1\ny = 2\n', 3));
    const prompt = promptWithAttachments('', tray.attachments);
    assert.equal(prompt.text, 'Attached: `a.py:3-4`');
    assert.deepEqual(prompt.reference, { path: 'a.py', languageId: 'typescript', startLine: 3, endLine: 4 });
    assert.ok(prompt.content.startsWith('Attached `a.py` (lines 3–4'));
    assert.deepEqual(promptWithAttachments('plain', []), { text: 'plain', content: 'plain' });
  });

  it('cuts a huge file at a line and says so, in the chip and to the model', () => {
    const line = 'const value = "0123456789012345678901234567890123456789";\n';
    const huge = source('big.ts', line.repeat(5000));
    const { source: cut, cutNote } = capAttachment(huge);
    assert.ok(cut.code.length <= MAX_ATTACHMENT_CHARS && cut.code.endsWith('\n'));
    const kept = cut.code.split('\n').length - 1;
    assert.equal(cut.endLine, kept);
    assert.equal(cutNote, `Only lines 1–${kept} of lines 1–5000 are included: the rest is over the 100,000-character limit for an attachment.`);
    const tray = new AttachmentTray();
    tray.add('file', huge);
    assert.deepEqual(tray.view(), [{ id: 'attachment-1', label: `big.ts (first ${kept} lines)`, kind: 'file' }]);
    assert.ok(promptWithAttachments('?', tray.attachments).content.includes(`(${cutNote})`));
    assert.equal(capAttachment(source('small.ts', 'x\n')).cutNote, undefined);
  });

  it('replaces an attachment attached again, and removes one by id', () => {
    const tray = new AttachmentTray();
    const first = tray.add('file', source('a.ts', 'old\n'));
    tray.add('selection', source('a.ts', 'old\n'));
    const again = tray.add('file', source('a.ts', 'new\n'));
    assert.equal(again.id, first.id);
    assert.equal(tray.attachments.length, 2);
    assert.equal(tray.attachments[0].source.code, 'new\n');
    assert.equal(tray.remove(first.id), true);
    assert.equal(tray.remove(first.id), false);
    assert.deepEqual(tray.view().map((a) => a.kind), ['selection']);
    tray.clear();
    assert.deepEqual(tray.view(), []);
  });

  it('recognises binary content', () => {
    assert.equal(looksBinary('PNG\u0000\u0001'), true);
    assert.equal(looksBinary('\uFFFD\uFFFDab\uFFFD'), true);
    assert.equal(looksBinary('naïve café — ok\n'), false);
    assert.equal(looksBinary(''), false);
  });
});
