import * as assert from 'node:assert/strict';
import { foldersOf, fuzzyScore, MAX_PICKER_PATHS, mentionItems, type PathEntry } from '../../src/chat/mentionSearch';
import { mentionEndingAt, mentionQueryAt, mentionText, parseMentions } from '../../src/shared/mentions';

const files = (...paths: string[]): PathEntry[] => paths.map((path) => ({ path, kind: path.endsWith('/') ? 'folder' : 'file' }));

describe('mentions: the parser', () => {
  it('reads path and special mentions at the start and after whitespace, with where they are', () => {
    const text = '@src/a.ts and\n@problems, then @"my file.ts" or @docs/';
    assert.deepEqual(parseMentions(text), [
      { start: 0, end: 9, kind: 'path', path: 'src/a.ts' },
      { start: 14, end: 23, kind: 'special', name: 'problems' },
      { start: 30, end: 43, kind: 'path', path: 'my file.ts' },
      { start: 47, end: 53, kind: 'path', path: 'docs/' },
    ]);
  });

  it('leaves out addresses, lone @ signs and the punctuation that ends a sentence', () => {
    assert.deepEqual(parseMentions('mail me@example.com or @ alone'), []);
    assert.deepEqual(parseMentions('see @src/a.ts. Then (@b.ts), @c.ts?'), [
      { start: 4, end: 13, kind: 'path', path: 'src/a.ts' },
      { start: 21, end: 26, kind: 'path', path: 'b.ts' },
      { start: 29, end: 34, kind: 'path', path: 'c.ts' },
    ]);
    // An unclosed quote is not a quoted path.
    assert.deepEqual(parseMentions('@"open'), []);
  });

  it('writes a path as a mention the parser reads back whole', () => {
    for (const path of ['src/a.ts', 'my file.ts', 'weird.', 'docs/', 'a b/c d/']) {
      const text = `x ${mentionText(path)} y`;
      const [mention] = parseMentions(text);
      assert.deepEqual(mention.kind === 'path' && mention.path, path, text);
    }
    assert.equal(mentionText('my file.ts'), '@"my file.ts"');
    assert.equal(mentionText('src/a.ts'), '@src/a.ts');
  });

  it('finds the mention being typed at the caret, quoted or not', () => {
    assert.deepEqual(mentionQueryAt('look at @sr', 11), { start: 8, query: 'sr' });
    assert.deepEqual(mentionQueryAt('@', 1), { start: 0, query: '' });
    assert.deepEqual(mentionQueryAt('x @"my fi', 9), { start: 2, query: 'my fi' });
    assert.equal(mentionQueryAt('me@ex', 5), undefined);
    assert.equal(mentionQueryAt('@src/a.ts done', 14), undefined);
  });

  it('finds the mention that ends at the caret, for Backspace', () => {
    const text = 'see @src/a.ts now';
    assert.deepEqual(mentionEndingAt(text, 13), { start: 4, end: 13, kind: 'path', path: 'src/a.ts' });
    assert.equal(mentionEndingAt(text, 12), undefined);
  });
});

describe('mentions: the fuzzy scorer and the picker order', () => {
  it('ranks the name itself, then a name starting with the query, then holding it, then the path, then scattered letters', () => {
    const scores = ['src/app.ts', 'src/apple.ts', 'src/mapper.ts', 'app/index.ts', 'src/a_p_p.ts'].map((path) => fuzzyScore('app', path)!);
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] > scores[i], `${i}: ${scores.join(', ')}`);
    assert.equal(fuzzyScore('xyz', 'src/app.ts'), undefined);
    assert.equal(fuzzyScore('APP', 'src/App.ts'), fuzzyScore('app', 'src/app.ts'));
  });

  it('puts the recently opened first for an empty query, then the rest by path, then the special mentions', () => {
    const items = mentionItems('', files('b.ts', 'a.ts', 'c.ts'), ['c.ts', 'b.ts']);
    assert.deepEqual(
      items.map((item) => item.value),
      ['c.ts', 'b.ts', 'a.ts', 'problems', 'selection', 'terminal', 'changes'],
    );
    assert.deepEqual(items[3], { kind: 'special', value: 'problems', detail: "the workspace's errors and warnings" });
  });

  it('lets a recently opened file lead a match only as good, not a far better one', () => {
    const entries = files('src/session.ts', 'test/unit/sessionHelpers.ts', 'docs/s_e_s.md');
    assert.deepEqual(
      mentionItems('session', entries, ['test/unit/sessionHelpers.ts']).map((item) => item.value),
      ['test/unit/sessionHelpers.ts', 'src/session.ts'],
    );
    // Scattered letters in a recent file do not beat the name itself.
    assert.deepEqual(mentionItems('ses', entries, ['docs/s_e_s.md'])[0].value, 'src/session.ts');
  });

  it('lists at most MAX_PICKER_PATHS paths, leaves out paths no mention can name, and filters the specials too', () => {
    const many = files(...Array.from({ length: 100 }, (_, i) => `src/file${i}.ts`), 'bad"name.ts');
    const items = mentionItems('file', many, []);
    assert.equal(items.length, MAX_PICKER_PATHS);
    assert.ok(items.every((item) => item.kind === 'file' && !item.value.includes('"')));
    assert.deepEqual(mentionItems('prob', many, []).map((item) => item.value), ['problems']);
  });

  it('derives the folders from the file paths, each once', () => {
    assert.deepEqual(foldersOf(['src/a.ts', 'src/ui/b.ts', 'src/ui/c.ts', 'top.ts']), files('src/', 'src/ui/'));
  });
});

describe('mentions: the messages of the picker and of a drop', () => {
  it('accepts well-formed queries and drops from the view, and nothing else', async () => {
    const { parseWebviewMessage } = await import('../../src/shared/protocol');
    assert.deepEqual(parseWebviewMessage({ type: 'mentionQuery', requestId: 3, query: 'src' }), { type: 'mentionQuery', requestId: 3, query: 'src' });
    assert.equal(parseWebviewMessage({ type: 'mentionQuery', requestId: 1.5, query: 'src' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'mentionQuery', requestId: 1, query: 'x'.repeat(5000) }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'dropUris', uris: ['file:///w/a.ts'] }), { type: 'dropUris', uris: ['file:///w/a.ts'] });
    assert.equal(parseWebviewMessage({ type: 'dropUris', uris: 'file:///w/a.ts' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'dropUris', uris: [1] }), undefined);
    assert.equal(parseWebviewMessage({ type: 'dropUris', uris: Array.from({ length: 101 }, () => 'file:///a') }), undefined);
  });
});

describe('mentions: an edited prompt', () => {
  it('reads only the mentions the edit adds', async () => {
    const { mentionsAddedIn } = await import('../../src/shared/mentions');
    assert.equal(mentionsAddedIn('see @a.ts and @"b c.ts" with @problems', 'see @a.ts'), '@"b c.ts" @problems');
    assert.equal(mentionsAddedIn('see @a.ts', 'see @a.ts and @b.ts'), '');
  });

  it('attaches what the added mentions read before the kept attachments, and stays editable', async () => {
    const { editableText, editedPrompt } = await import('../../src/chat/promptEdit');
    const { promptWithAttachments } = await import('../../src/chat/attachments');
    const { plainPrompt } = await import('../../src/chat/prompts');
    const kept = { id: 'attachment-1', kind: 'file' as const, source: { code: 'a\n', path: 'a.ts', languageId: 'ts', startLine: 1, endLine: 1 } };
    const added = { id: 'mention-1', kind: 'file' as const, source: { code: 'b\n', path: '@b.ts', languageId: 'ts', startLine: 1, endLine: 1 }, label: '@b.ts', description: '`b.ts` (the whole file)' };

    const fromPlain = editedPrompt(plainPrompt('look'), 'look at @b.ts', [added])!;
    const { text, content } = promptWithAttachments('look at @b.ts', [added]);
    assert.deepEqual(fromPlain, { text, content });
    assert.equal(editableText(fromPlain), 'look at @b.ts');

    const fromAttached = editedPrompt(promptWithAttachments('why?', [kept]), 'why @b.ts?', [added])!;
    assert.equal(fromAttached.text, 'why @b.ts?\n\nAttached: `a.ts`, `@b.ts`');
    assert.equal(fromAttached.content, 'Attached `b.ts` (the whole file):\n```ts\nb\n```\n\nAttached `a.ts` (line 1, language: ts):\n```ts\na\n```\n\nwhy @b.ts?');
    assert.equal(editableText(fromAttached), 'why @b.ts?');
  });
});
