import * as assert from 'node:assert/strict';
import { type MarkdownUpdate, StreamingMarkdown, renderMarkdown } from '../../src/webview/markdown';
import { CODE_BLOCK_CLOSING } from '../../src/webview/markdown/render';
import { answer, codeAnswer, deltasOf, random } from '../fixtures/markdownCorpus';

/** `text` cut into pieces of 1 to `longest` characters. */
function cut(text: string, next: () => number, longest: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    const length = 1 + Math.floor(next() * longest);
    pieces.push(text.slice(at, at + length));
    at += length;
  }
  return pieces;
}

/** What a view built from the updates shows: finished blocks, the tail, the open code block. */
class ShownMarkdown {
  readonly blocks: string[] = [];
  tail = '';
  unrendered = '';
  private code: { html: string; provisional: string } | undefined;

  apply(update: MarkdownUpdate, label: string): void {
    for (const { index, html } of update.changed) {
      assert.ok(index < this.blocks.length, `${label}: changed block ${index} is one shown before`);
      this.blocks[index] = html;
    }
    const code = update.code;
    if (code && code.opening === undefined) {
      assert.ok(this.code, `${label}: lines for a code block that was not opened`);
      this.code.html += code.settled;
      this.code.provisional = code.provisional;
      if (code.closed) {
        assert.equal(update.finished[0], this.code.html + CODE_BLOCK_CLOSING, `${label}: the closed code block is the first finished`);
        this.code = undefined;
      }
    }
    this.blocks.push(...update.finished);
    this.tail = update.tail;
    this.unrendered = update.unrendered ?? '';
    if (code?.opening !== undefined) this.code = { html: code.opening + code.settled, provisional: code.provisional };
  }

  html(): string {
    return this.blocks.join('') + this.tail + (this.code ? this.code.html + this.code.provisional + CODE_BLOCK_CLOSING : '');
  }
}

/** Renders until nothing is left to do, applying each update. */
function renderAll(stream: StreamingMarkdown, shown: ShownMarkdown, label: string, outOfTime?: () => boolean): void {
  do shown.apply(stream.render(outOfTime), label);
  while (stream.busy);
}

/**
 * Streams `deltas` and checks, after every one (or every `every`-th), that what is shown is the one-shot
 * render of the text so far; that finished blocks only change when an update says so; and, at the end,
 * the whole render.
 */
function checkStream(deltas: readonly string[], label: string, every = 1, outOfTime?: () => boolean): StreamingMarkdown {
  const stream = new StreamingMarkdown();
  const shown = new ShownMarkdown();
  let text = '';
  for (const [i, delta] of deltas.entries()) {
    text += delta;
    stream.write(delta);
    renderAll(stream, shown, label, outOfTime);
    if (i % every !== 0 || shown.unrendered !== '') continue;
    const expected = renderMarkdown(text);
    if (shown.html() !== expected) {
      assert.equal(shown.html(), expected, `${label}: after delta ${i} of ${deltas.length}, text so far ${JSON.stringify(text)}`);
    }
    assert.deepEqual(stream.blocks, shown.blocks, `${label}: blocks`);
    assert.equal(stream.html(), shown.html(), `${label}: html()`);
  }
  stream.end();
  renderAll(stream, shown, label, outOfTime);
  assert.equal(shown.tail, '', `${label}: no tail after the end`);
  assert.equal(shown.html(), renderMarkdown(text), `${label}: after the end`);
  assert.equal(stream.html(), renderMarkdown(text), `${label}: html()`);
  return stream;
}

/** Texts with each construct whose meaning can depend on the text after it. */
const CORPUS: Record<string, string> = {
  prose: [
    '# A heading',
    '',
    'A paragraph with *emphasis*, **strong**, `code`, a [link](https://example.com "title") and an',
    'autolink <https://example.com/x>, soft-wrapped over',
    'three lines.',
    '',
    'Setext heading',
    '==============',
    '',
    'Another setext',
    '---',
    '',
    'Not a heading, a paragraph',
    'then a rule:',
    '',
    '***',
    '',
    '## Closed ATX heading ##',
    'Text right after the heading.',
    'Hard break with two spaces  ',
    'and a backslash\\',
    'end.',
    '',
  ].join('\n'),
  lists: [
    '- one',
    '- two',
    '  continued lazily',
    'lazy line',
    '',
    '- three, after a blank line (the list becomes loose)',
    '',
    '  a second paragraph in item three',
    '',
    '  - nested',
    '    - deeper',
    '',
    '      deeper still, after a blank line',
    '',
    '  - nested again',
    '',
    '* a new list (other marker)',
    '',
    '1. ordered',
    '2. ordered two',
    '',
    '3) a new list (other delimiter)',
    '10) ten',
    '',
    '7. starts at seven',
    '',
    '- [ ] task-looking item',
    '-',
    '',
    '  content of an empty item',
    '',
    'After the lists.',
    '',
    '- a list that ends the text',
    '- and is tight',
  ].join('\n'),
  fences: [
    'Intro:',
    '```ts',
    'const a = 1;',
    '',
    '',
    'const b = `template ${a}`;',
    '```',
    'Right after a fence.',
    '',
    '~~~python title="x.py"',
    'def f():',
    '    """doc"""',
    '    return "```"',
    '~~~',
    '',
    '````md',
    '```js',
    'inner fence stays text',
    '```',
    '````',
    '',
    '```',
    'no language',
    '    indented line in a fence',
    '```',
    '',
    '    indented code',
    '',
    '',
    '    still the same indented block',
    'paragraph',
    '',
    '- list with a fence',
    '',
    '  ```bash',
    '  echo "in a list"',
    '',
    '  echo "after blank"',
    '  ```',
    '',
    '> ```diff',
    '> - old',
    '> + new',
    '> ```',
    '',
    '```sh',
    'an unclosed fence at the end',
    '',
    'swallows everything after it',
    '# even headings',
  ].join('\n'),
  tables: [
    'Text before a table',
    '| a | b |',
    '|:--|--:|',
    '| 1 | 2 |',
    'row without pipes',
    '| 3 |',
    '',
    '| wrong | delimiter |',
    '|---|',
    '',
    'x | y',
    '--|--',
    '1 | 2',
    '',
    '| single |',
    '| :----: |',
    '| cell with `code | pipe` and \\| escaped |',
  ].join('\n'),
  quotes: [
    '> quoted paragraph',
    'lazy continuation',
    '> > nested quote',
    '',
    '> a second quote after a blank line',
    '>',
    '> with an empty quoted line',
    '',
    '> - list in a quote',
    '> - two',
    '',
    '> # heading in a quote',
    '> ---',
    '',
    'After the quotes.',
  ].join('\n'),
  references: [
    'Uses before definitions: [one], [two][], [text][three], ![image][four] and [missing].',
    '',
    'Another paragraph with [ONE] (labels ignore case).',
    '',
    '[one]: https://one.example',
    '[two]: <https://two.example/with space> "Two"',
    '[three]:',
    '  https://three.example',
    "  'Three on a later line'",
    '',
    '[four]: https://four.example/img.png',
    '[one]: https://ignored.example "a second definition is ignored"',
    '',
    'Uses after definitions: [one] and [two].',
    '',
    '- in a list: [five]',
    '',
    '> in a quote: [six]',
    '',
    '[five]: https://five.example',
    '> [six]: https://six.example',
    '',
    '[bad]: javascript:alert(1)',
    '',
    '[bad] stays text.',
  ].join('\n'),
  htmlish: [
    '<div class="x">',
    '<script>alert(1)</script>',
    '</div>',
    '',
    'Inline <b>bold</b> and <img src=x onerror=alert(1)> and <!-- comment -->.',
    '',
    '<javascript:alert(1)> and [x](javascript:alert(1)) and ![y](data:text/html,z)',
    '',
    '&lt;escaped&gt; &amp; &#60;script&#62; &copy;',
  ].join('\n'),
  mixed: [
    '## Plan',
    '1. Read the file:',
    '   ```ts',
    '   import x from "y";',
    '   ```',
    '2. Change it.',
    '',
    '| step | done |',
    '|------|:----:|',
    '| read | ✓ |',
    '',
    '> **Note**',
    '> Unicode: 漢字 👋🏽 “quotes”',
    '',
    '\t\ttabbed code',
    '',
    'Trailing spaces   ',
    '',
    '   ',
    '',
    'Last line without a line break',
  ].join('\n'),
};

describe('StreamingMarkdown', () => {
  describe('renders what renderMarkdown renders, after every delta', () => {
    for (const [name, text] of Object.entries(CORPUS)) {
      it(`${name}: one character at a time`, () => {
        checkStream([...text], name);
      });

      it(`${name}: cut at random points`, () => {
        const next = random(name.length * 1009);
        for (let run = 0; run < 25; run++) checkStream(cut(text, next, 1 + run * 3), `${name} run ${run}`);
      });
    }

    // Thousands of full re-renders to compare with: seconds alone, tens of seconds on a loaded machine.
    it('the whole corpus as one text, cut at random points', function () {
      this.timeout(120_000);
      const text = Object.values(CORPUS).join('\n\n');
      const next = random(7);
      for (let run = 0; run < 10; run++) checkStream(cut(text, next, 2 + run * 10), `corpus run ${run}`);
    });

    it('line breaks written as CRLF or CR, split between deltas', () => {
      const text = CORPUS.lists.replace(/\n/g, '\r\n') + '\r\n\r\n' + CORPUS.fences.replace(/\n/g, '\r');
      checkStream([...text], 'crlf by character');
      const next = random(11);
      for (let run = 0; run < 10; run++) checkStream(cut(text, next, 5), `crlf run ${run}`);
      checkStream(['a\r', '\n', '\r', '\r\n', '\n\r', 'b\u0000\r'], 'crlf edges');
    });

    it('generated texts mixing containers, fences, tables, definitions and blank lines', () => {
      const prefixes = ['', '', '', '', '- ', '* ', '1. ', '2. ', '3) ', '> ', '> > ', '  ', '   ', '    ', '\t', '> - ', '- > ', '  - ', '1. - '];
      const contents = [
        'foo', 'bar *baz*', '```', '```ts', '~~~', '````', '# head', '---', '- - -', '===', '| a | b |', '|---|---|', '| 1 | 2 |',
        '[foo]: https://foo.example', '[Foo]: https://other.example "t"', '[bar]:', 'https://bar.example', '"bar title"',
        '[foo] and [bar][] and [baz][foo]', '[baz]: mailto:x@y.z', '<div>', '`code`', '![im][foo]', '-', '1.', '', '', '',
      ];
      const next = random(2024);
      const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
      for (let doc = 0; doc < 300; doc++) {
        const lines: string[] = [];
        const count = 3 + Math.floor(next() * 30);
        for (let i = 0; i < count; i++) lines.push(next() < 0.3 ? '' : pick(prefixes) + pick(contents));
        const text = lines.join('\n') + (next() < 0.5 ? '\n' : '');
        checkStream(cut(text, next, next() < 0.5 ? 3 : 20), `generated ${doc}: ${JSON.stringify(text)}`);
      }
    });
  });

  describe('finished blocks', () => {
    it('are cut at blank lines before complete lines, and are never rendered again', () => {
      const stream = new StreamingMarkdown();
      assert.deepEqual(stream.append('Para one\n\nPara'), { finished: [], changed: [], tail: '<p>Para one</p>\n<p>Para</p>\n' });
      // "Para" could still become "Paragraph", or a setext heading with the next line: nothing finished.
      assert.deepEqual(stream.append(' two\n'), { finished: ['<p>Para one</p>\n'], changed: [], tail: '<p>Para two</p>\n' });
      assert.deepEqual(stream.append('---\n'), { finished: [], changed: [], tail: '<h2>Para two</h2>\n' });
      assert.deepEqual(stream.finish(), { finished: ['<h2>Para two</h2>\n'], changed: [], tail: '' });
      assert.deepEqual(stream.blocks, ['<p>Para one</p>\n', '<h2>Para two</h2>\n']);
    });

    it('wait while a list may go on, even after a blank line', () => {
      const stream = new StreamingMarkdown();
      stream.append('1. a\n\n2');
      assert.deepEqual(stream.blocks, [], 'a "2" could become item "2."');
      stream.append('. b\n\nAfter\n');
      assert.deepEqual(stream.blocks, ['<ol>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ol>\n']);
    });

    it('wait while a fence is open', () => {
      const stream = new StreamingMarkdown();
      stream.append('```\ncode\n\nmore\n\n');
      assert.deepEqual(stream.blocks, []);
      stream.append('```\n\nafter\n');
      assert.equal(stream.blocks.length, 1);
      assert.match(stream.blocks[0], /code\n\nmore\n\n<\/span><\/code>/);
    });

    it('are rendered again, and reported, when a reference definition arrives after them', () => {
      const stream = new StreamingMarkdown();
      stream.append('See [docs].\n\nMore.\n\n');
      assert.deepEqual(stream.blocks, ['<p>See [docs].</p>\n']);
      const first = stream.append('[docs]: https://d');
      assert.deepEqual(first.changed, [{ index: 0, html: '<p>See <a href="https://d">docs</a>.</p>\n' }]);
      const second = stream.append('.example');
      assert.deepEqual(second.changed, [{ index: 0, html: '<p>See <a href="https://d.example">docs</a>.</p>\n' }]);
      // Text after the destination on the same line: not a definition after all.
      const third = stream.append(' junk');
      assert.deepEqual(third.changed, [{ index: 0, html: '<p>See [docs].</p>\n' }]);
      assert.deepEqual(stream.append('\n').changed, []);
      assert.deepEqual(stream.blocks, ['<p>See [docs].</p>\n', '<p>More.</p>\n']);
    });

    it('are not rendered again for definitions of labels they do not use', () => {
      const stream = new StreamingMarkdown();
      stream.append('See [docs].\n\nMore.\n\n');
      assert.deepEqual(stream.append('[other]: https://o.example\n\n[docs]: https://d.example\n').changed, [
        { index: 0, html: '<p>See <a href="https://d.example">docs</a>.</p>\n' },
      ]);
      assert.deepEqual(stream.append('\n[more]: https://m.example\n').changed, []);
    });

    it('number their code blocks across blocks', () => {
      const text = '```a\n1\n```\n\ntext\n\n```b\n2\n```\n\n- x\n\n  ```c\n  3\n  ```\n\nend\n';
      const stream = checkStream(cut(text, random(3), 4), 'code numbering');
      assert.deepEqual(
        [...stream.html().matchAll(/data-code-index="(\d+)"/g)].map((m) => m[1]),
        ['0', '1', '2'],
      );
    });
  });

  describe('API', () => {
    it('keeps the text so far, with line breaks normalized', () => {
      const stream = new StreamingMarkdown();
      stream.append('a\r');
      stream.append('\nb\r\n\r\nc');
      assert.equal(stream.text, 'a\nb\n\nc');
    });

    it('refuses text after finish(), and finish() twice is harmless', () => {
      const stream = new StreamingMarkdown();
      stream.append('x');
      assert.equal(stream.finish().finished.length, 1);
      assert.ok(stream.done);
      assert.deepEqual(stream.finish(), { finished: [], changed: [], tail: '' });
      assert.throws(() => stream.append('y'), /after finish/);
    });

    it('ignores empty deltas, and an empty message renders nothing', () => {
      const stream = new StreamingMarkdown();
      assert.deepEqual(stream.append(''), { finished: [], changed: [], tail: '' });
      assert.deepEqual(stream.finish(), { finished: [], changed: [], tail: '' });
      assert.equal(stream.html(), '');
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Cost: issue 6's "webview render" case, on the renderer alone, in plain Node.

describe('StreamingMarkdown cost', function () {
  this.timeout(60_000);

  // Time is measured by `npm run bench`; here, the work: only the unfinished tail is parsed per delta,
  // so it must stay one block long however long the answer grows.
  it('keeps the re-parsed tail to one block while 100 KB streams in 20,000 deltas', () => {
    const next = random(42);
    const text = answer(100_000, 50, next);
    const deltas = deltasOf(text, 20_000, next);
    assert.equal((text.match(/^```\w/gm) ?? []).length, 50);

    const stream = new StreamingMarkdown();
    let longestTail = 0;
    for (const delta of deltas) {
      stream.append(delta);
      longestTail = Math.max(longestTail, stream.tailText.length);
    }
    stream.finish();
    assert.equal(stream.html(), renderMarkdown(text));
    assert.ok(stream.blocks.length > 100, `${stream.blocks.length} finished blocks`);
    assert.ok(longestTail < 3_000, `the tail reached ${longestTail} characters`);
  });

  it('highlights a 256 KB code block being written line by line: the text highlighted again stays one piece', () => {
    const next = random(5);
    const text = codeAnswer(256_000, next);
    const stream = new StreamingMarkdown();
    let longestTail = 0;
    for (const delta of deltasOf(text, 20_000, next)) {
      stream.append(delta);
      longestTail = Math.max(longestTail, stream.tailText.length);
    }
    stream.finish();
    while (stream.busy) stream.render();
    assert.equal(stream.html(), renderMarkdown(text));
    // A piece is usually a line; the longest is the 4 KB comment, where pieces are cut.
    assert.ok(longestTail < 4_200, `the tail reached ${longestTail} characters`);
  });

  /** Streams `text` and counts the parses of a tail longer than 32 KB (the tail shown changed). */
  function longParses(text: string, label: string): number {
    const stream = new StreamingMarkdown();
    const shown = new ShownMarkdown();
    let parses = 0;
    let previous = '';
    let so = '';
    for (const delta of deltasOf(text, 5_000, random(text.length))) {
      so += delta;
      stream.write(delta);
      renderAll(stream, shown, label);
      if (shown.tail !== previous && stream.tailText.length > 32 * 1024) parses++;
      previous = shown.tail;
      assert.ok(so.endsWith(shown.unrendered), `${label}: what is not parsed yet is shown as the text's end`);
    }
    stream.end();
    renderAll(stream, shown, label);
    assert.equal(shown.html(), renderMarkdown(text));
    return parses;
  }

  it('parses a 512 KB paragraph again only as it grows by a quarter, showing the rest as text meanwhile', () => {
    const parses = longParses(answer(512_000, 0, random(6)).replace(/\n+/g, ' '), 'paragraph');
    assert.ok(parses < 20, `parsed ${parses} times`);
  });

  it('a 256 KB table likewise', () => {
    const rows = Array.from({ length: 8_000 }, (_, i) => `| ${i} | row ${i} | \`code\` |`);
    const parses = longParses(`| n | name | c |\n|--:|:--|---|\n${rows.join('\n')}\n`, 'table');
    assert.ok(parses < 20, `parsed ${parses} times`);
  });

  it('takes one bounded step per call when out of time, and ends the same', () => {
    const next = random(9);
    const text = answer(200_000, 20, next) + codeAnswer(100_000, next, true);
    const stream = new StreamingMarkdown();
    const shown = new ShownMarkdown();
    stream.write(text);
    stream.end();
    let calls = 0;
    do {
      shown.apply(stream.render(() => true), 'one step');
      calls++;
    } while (stream.busy);
    assert.equal(shown.html(), renderMarkdown(text));
    assert.ok(calls > 200_000 / (4 * 1024), `${calls} calls`);
  });
});

describe('StreamingMarkdown on big answers ends with the one-shot render', function () {
  this.timeout(120_000);

  // Every limit of the renderer (steps, long tails, highlighted pieces, groups of lines) is under 32 KB,
  // so 1 MB takes the same paths as 5 MB at a fifth of the time; 5 MB itself is streamed into the real
  // page by the bench (`hugeAnswers`), which compares its DOM with the one-shot render's.
  const sizes = { '256 KB': 256_000, '1 MB': 1_000_000 };
  for (const [name, size] of Object.entries(sizes)) {
    // Compared with the one-shot render of the text so far 10 times at 256 KB; at 1 MB at the end.
    const every = size >= 1_000_000 ? Infinity : 500;
    it(`${name} of markdown`, () => {
      const next = random(size);
      const text = answer(size, size / 2_000, next);
      checkStream(deltasOf(text, Math.min(size / 50, 20_000), next), `${name} markdown`, every, budget(2));
    });

    it(`${name} as one code block`, () => {
      const next = random(size + 1);
      const text = codeAnswer(size, next);
      checkStream(deltasOf(text, Math.min(size / 50, 20_000), next), `${name} code`, every, budget(2));
    });
  }
});

/** Out of time every `steps` steps, as a frame's budget would be. */
function budget(steps: number): () => boolean {
  let count = 0;
  return () => ++count % steps === 0;
}
