// A message whose mentions take a while to read (here a question about a secrets file, unanswered)
// goes with the chips it had when it was sent: chips added or removed meanwhile belong to the next one.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment } from '../../src/chat/attachments';
import type { PromptImage } from '../../src/chat/promptImages';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { useToolWorkspace } from './toolWorkspace';

describe('sending a message whose mentions are still being read', () => {
  const ws = useToolWorkspace('sonnet-send-', async () => []);
  const vscode = sharedFakeVscode().api;

  const image = (file: string): PromptImage => ({ file, name: `${file}.png`, width: 1, height: 1, mediaType: 'image/png', data: 'AA==' });
  const chip = (id: string): Attachment => ({ id, kind: 'file', source: { code: `${id}\n`, path: `${id}.ts`, languageId: 'ts', startLine: 1, endLine: 1 } });

  it('takes the chips at send time, not when the mentions are read', async () => {
    fs.mkdirSync(ws.root, { recursive: true });
    fs.writeFileSync(path.join(ws.root, '.env'), 'KEY=1\n');
    let answer: (choice: string) => void = () => {};
    const asked = new Promise<void>((askedNow) => {
      vscode.window.showWarningMessage = () => {
        askedNow();
        return new Promise((answered) => (answer = answered));
      };
    });
    const { EditorAttachments } = await import('../../src/ui/editorAttachments');
    const { ChatMentions } = await import('../../src/ui/chatMentions');
    const { sendMessage } = await import('../../src/ui/messageSend');
    const sink = { post: () => {}, refresh: () => {} };
    const log = { warn: () => {}, error: (message: string) => assert.fail(message) };
    const chips = new EditorAttachments(sink);
    const mentions = new ChatMentions(sink, log as never);
    const submitted: Array<{ text: string; chips: string[]; images: string[] }> = [];
    const submit = (text: string, attachments: readonly Attachment[], images: readonly PromptImage[]) => {
      submitted.push({ text, chips: attachments.map((attachment) => attachment.label ?? attachment.id), images: images.map((kept) => kept.file) });
      return true;
    };
    try {
      chips.restore([chip('before')], [image('first')]);
      sendMessage('look at @.env', chips, mentions, submit);
      await asked;
      // While the question waits: the sent message's chip is gone from the tray, new ones are added.
      assert.deepEqual(chips.view().map((view) => view.id), []);
      chips.restore([chip('after')], [image('second')]);
      answer('Allow');
      await new Promise<void>((sent) => mentions.send('next', () => sent()));
      assert.deepEqual(submitted, [{ text: 'look at @.env', chips: ['before', '@.env'], images: ['first'] }]);
      assert.deepEqual(chips.view().map((view) => view.id).sort(), ['after', 'image-second']);
    } finally {
      mentions.dispose();
    }
  });
});
