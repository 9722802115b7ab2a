// The @-mentions of a message resolved on a real folder, under the tools' rules: what is attached,
// what is cut, what asks first, and what is refused with a note (the message still goes).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_ATTACHMENT_CHARS, promptWithAttachments, type Attachment } from '../../src/chat/attachments';
import type { MentionSources } from '../../src/ui/mentionResolver';
import type { TerminalHistory } from '../../src/ui/terminalHistory';
import { useToolWorkspace } from './toolWorkspace';

describe('mentions: what a message attaches', () => {
  const ws = useToolWorkspace('sonnet-mentions-', async () => []);
  /** The questions asked, and the answer each gets. */
  const asked: string[] = [];
  let allow = false;
  let sources: MentionSources;
  let resolve: (text: string) => Promise<Attachment[]>;

  before(async () => {
    const files: Record<string, string | Buffer> = {
      'src/app.ts': 'export const answer = 42;\n',
      'my notes.md': '# Notes\n',
      '.env': 'API_KEY=hunter2\n',
      'keys/server.pem': '-----BEGIN PRIVATE KEY-----\n',
      'logo.bin': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
      'big.txt': 'line of text that goes on\n'.repeat(Math.ceil((MAX_ATTACHMENT_CHARS * 1.5) / 26)),
      '.gitignore': 'build/\n',
      'build/out.js': 'ignored\n',
      'odd [1]{a,b}*/x.txt': 'x\n',
      'odd 1a*/y.txt': 'y\n',
      ...Object.fromEntries(Array.from({ length: 520 }, (_, i) => [`many/f${String(i).padStart(3, '0')}.txt`, 'x\n'])),
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws.root, name)), { recursive: true });
      fs.writeFileSync(path.join(ws.root, name), text);
    }
    fs.writeFileSync(path.join(ws.sandbox, 'outside.txt'), 'outside secret\n');
    fs.symlinkSync('../outside.txt', path.join(ws.root, 'out'));
    fs.symlinkSync('.env', path.join(ws.root, 'envlink'));
    const { editorMentionSources } = await import('../../src/ui/mentionSources');
    const { resolveMentions } = await import('../../src/ui/mentionResolver');
    const editor = editorMentionSources({ content: () => ({ note: 'no terminal' }) } as unknown as TerminalHistory);
    sources = {
      ...editor,
      consent: async (question) => {
        asked.push(question);
        return allow;
      },
    };
    let id = 0;
    resolve = (text) => resolveMentions(text, sources, () => `m${++id}`);
  });

  beforeEach(() => {
    asked.length = 0;
    allow = false;
  });

  const only = async (text: string) => {
    const attachments = await resolve(text);
    assert.equal(attachments.length, 1, JSON.stringify(attachments));
    return attachments[0];
  };

  it('attaches a mentioned file whole, once however often it is mentioned, quoted paths too', async () => {
    const attachments = await resolve('compare @src/app.ts with @"my notes.md" and @src/app.ts again');
    assert.deepEqual(attachments.map((a) => [a.label, a.source.code]), [
      ['@src/app.ts', 'export const answer = 42;\n'],
      ['@"my notes.md"', '# Notes\n'],
    ]);
    const prompt = promptWithAttachments('compare @src/app.ts', attachments);
    assert.match(prompt.content, /^Attached `src\/app\.ts` \(the whole file\):\n```ts\nexport const answer = 42;\n```/);
    assert.equal(prompt.text, 'compare @src/app.ts\n\nAttached: `@src/app.ts`, `@"my notes.md"`');
  });

  it('cuts a long file at the attachment limit, with the note', async () => {
    const big = await only('@big.txt');
    assert.ok(big.source.code.length <= MAX_ATTACHMENT_CHARS);
    assert.match(big.cutNote ?? '', /Only lines 1–\d+ of lines 1–\d+ are included/);
    assert.equal(big.label, '@big.txt');
  });

  it('refuses a binary file with a note instead of its bytes', async () => {
    const note = await only('@logo.bin');
    assert.equal(note.label, '@logo.bin (not attached)');
    assert.match(note.source.code, /logo\.bin is a binary file/);
  });

  it('asks before attaching a file that may hold secrets, by its name or where its link leads, and attaches it only when allowed', async () => {
    const refused = await resolve('@.env @envlink @keys/server.pem');
    assert.equal(asked.length, 3);
    assert.match(asked[0], /^Allow Sonnet to attach \.env\? It is an environment file/);
    assert.match(asked[1], /envlink → \.env/);
    assert.ok(refused.every((a) => a.label?.endsWith('(not attached)') && !a.source.code.includes('hunter2') && !a.source.code.includes('PRIVATE')), JSON.stringify(refused));
    assert.match(refused[0].source.code, /may hold secrets, and reading it was not allowed/);
    allow = true;
    assert.equal((await only('@.env')).source.code, 'API_KEY=hunter2\n');
  });

  it('refuses paths outside the workspace: .., absolute, and links that lead out', async () => {
    for (const text of ['@../outside.txt', `@${path.join(ws.sandbox, 'outside.txt')}`, '@out']) {
      const note = await only(text);
      assert.ok(note.label?.endsWith('(not attached)'), text);
      assert.ok(!note.source.code.includes('outside secret'), text);
    }
    assert.match((await only('@out')).source.code, /out cannot be used/);
  });

  it('says so when a mentioned path does not exist', async () => {
    assert.match((await only('@src/missing.ts')).source.code, /src\/missing\.ts does not exist/);
  });

  it('attaches a folder as its listing, ignore rules applied, capped, not its files’ contents', async () => {
    const src = await only('@src/');
    assert.equal(src.source.code, 'src/app.ts\n');
    assert.match(src.description ?? '', /the folder `src\/`: the files in it/);
    const root = await only('@./');
    assert.ok(root.source.code.startsWith('.env\n.gitignore\nbig.txt\nkeys/server.pem\n') && !root.source.code.includes('build/'), root.source.code.slice(0, 300));
    // Glob characters in a folder's name are matched as themselves.
    assert.equal((await only('@"odd [1]{a,b}*/"')).source.code, 'odd [1]{a,b}*/x.txt\n');
    const many = await only('@many');
    const lines = many.source.code.trimEnd().split('\n');
    assert.equal(lines.length, 501);
    assert.match(lines[500], /only the first 500 are shown/);
  });

  it('submits messages in the order they were sent, a message without mentions waiting for the one before it', async () => {
    const { ChatMentions, withoutMentions } = await import('../../src/ui/chatMentions');
    const silent = { warn: () => {}, error: () => {} } as unknown as ConstructorParameters<typeof ChatMentions>[1];
    const mentions = new ChatMentions({ post: () => {}, refresh: () => {} }, silent);
    const submitted: Array<{ text: string; labels: Array<string | undefined> }> = [];
    const done = new Promise<void>((resolve) => {
      const submit = (text: string) => (mentioned: readonly Attachment[]) => {
        submitted.push({ text, labels: mentioned.map((a) => a.label) });
        if (submitted.length === 3) resolve();
      };
      mentions.send('first @src/app.ts', submit('first @src/app.ts'));
      mentions.send('second, plain', submit('second, plain'));
      mentions.send('third @"my notes.md"', submit('third @"my notes.md"'));
    });
    await done;
    assert.deepEqual(submitted, [
      { text: 'first @src/app.ts', labels: ['@src/app.ts'] },
      { text: 'second, plain', labels: [] },
      { text: 'third @"my notes.md"', labels: ['@"my notes.md"'] },
    ]);
    // Put back into the input, a message keeps its mentions in its text: their attachments are read again then.
    const typed: Attachment = { id: 'attachment-1', kind: 'file', source: { code: 'x', path: 'a.ts', languageId: 'ts', startLine: 1, endLine: 1 } };
    const fromMention = (await resolve('@src/app.ts'))[0];
    assert.deepEqual(withoutMentions([typed, { ...fromMention, id: 'mention-7' }]), [typed]);
  });
});
