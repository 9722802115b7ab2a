import * as assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AttachmentTray, type Attachment } from '../../src/chat/attachments';
import { parseQueuedPrompt, QueuedMessageKeeper } from '../../src/chat/queuedMessageKeeper';
import { nodeHistoryFiles } from '../../src/history/nodeHistoryFiles';
import { fileMemory } from '../../src/history/openConversationMemory';
import { useTempFolder } from './helpers';

const FILE = 'queued-message.json';

describe('the queued message through a window reload', () => {
  const tempFolder = useTempFolder('sonnet-queued-');
  let folder: string;
  beforeEach(() => (folder = tempFolder()));

  /** The keeper of one window, on the folder's file, as session.ts makes it. */
  const windowKeeper = () => new QueuedMessageKeeper(fileMemory(nodeHistoryFiles(folder), FILE));

  const attachment: Attachment = {
    id: 'attachment-3',
    kind: 'selection',
    source: { code: 'const x = 1;\n', path: 'src/x.ts', languageId: 'typescript', startLine: 4, endLine: 4 },
  };

  it('keeps its text and attachments on disk for the next window', async () => {
    await windowKeeper().queueChanged({ text: 'look at this', attachments: [attachment] });
    assert.deepEqual(await windowKeeper().recall(), { text: 'look at this', attachments: [attachment] });
  });

  it('forgets it only once the view has it: a second reload before that still brings it back', async () => {
    await windowKeeper().queueChanged({ text: 'A', attachments: [attachment] });
    const reloaded = windowKeeper();
    assert.equal((await reloaded.recall())?.text, 'A');
    // Queued again in the reloaded window before its view took A: both are kept.
    await reloaded.queueChanged({ text: 'C', attachments: [] });
    assert.deepEqual(await windowKeeper().recall(), { text: 'A\n\nC', attachments: [attachment] });
    await reloaded.taken();
    assert.deepEqual(await windowKeeper().recall(), { text: 'C', attachments: [] });
    await reloaded.queueChanged(undefined);
    assert.equal(await windowKeeper().recall(), undefined);
  });

  it('does not overwrite what the last window left with a change made while it is read', async () => {
    await windowKeeper().queueChanged({ text: 'left by the last window', attachments: [] });
    const reloaded = windowKeeper();
    const recalled = reloaded.recall();
    const saved = reloaded.queueChanged(undefined);
    assert.equal((await recalled)?.text, 'left by the last window');
    await saved;
    assert.equal((await windowKeeper().recall())?.text, 'left by the last window', 'still there until the view takes it');
  });

  it('reads plain text as an earlier version kept it, and leaves out attachments that are not well-formed', async () => {
    assert.deepEqual(parseQueuedPrompt('do not lose me'), { text: 'do not lose me', attachments: [] });
    assert.deepEqual(parseQueuedPrompt('42'), { text: '42', attachments: [] });
    assert.equal(parseQueuedPrompt(''), undefined);
    assert.equal(parseQueuedPrompt(undefined), undefined);
    const stored = JSON.stringify({ text: 'kept', attachments: [attachment, { id: 'attachment-9', kind: 'file' }, null, 'x'] });
    assert.deepEqual(parseQueuedPrompt(stored), { text: 'kept', attachments: [attachment] });
    await fsp.writeFile(path.join(folder, FILE), '{"id":');
    assert.equal(await windowKeeper().recall(), undefined, 'not ours: fileMemory reads it as none');
  });

  it('restored into a fresh tray, its attachments keep ids that later ones do not repeat', () => {
    const tray = new AttachmentTray();
    tray.restore([attachment]);
    const added = tray.add('file', { code: 'y', path: 'src/y.ts', languageId: 'typescript', startLine: 1, endLine: 1 });
    assert.notEqual(added.id, attachment.id);
    assert.equal(new Set(tray.attachments.map((a) => a.id)).size, 2);
    assert.equal(tray.remove(attachment.id), true);
    assert.deepEqual(tray.attachments.map((a) => a.id), [added.id]);
  });
});
