import * as assert from 'node:assert/strict';
import { extractCodeBlocks, isAllowedHref, renderMarkdown, vscodeLanguageId } from '../../src/webview/markdown';

/** The toolbar row of the code block numbered `index` (0-based) in `language`, as a person names it. */
function toolbar(index: number, language?: string): string {
  const block = `${language ? `${language} ` : ''}code, block ${index + 1}`;
  return (
    '<div class="code-toolbar">' +
    (language ? `<span class="code-lang">${language}</span>` : '') +
    `<button type="button" class="codicon codicon-copy" data-code-action="copy" title="Copy" aria-label="Copy ${block}"></button>` +
    `<button type="button" class="codicon codicon-insert" data-code-action="insert" title="Insert at Cursor" aria-label="Insert ${block}, at the cursor"></button>` +
    `<button type="button" class="codicon codicon-go-to-file" data-code-action="open" title="Open in New Editor" aria-label="Open ${block}, in a new editor"></button>` +
    '</div>'
  );
}

describe('renderMarkdown', () => {
  it('renders prose, emphasis, inline code, headings, lists, quotes and rules', () => {
    const html = renderMarkdown(
      '# Title\n\nSome *em*, **strong**, ~~gone~~ and `a < b`.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n---\n\nline  \nbreak\n',
    );
    assert.equal(
      html,
      '<h1>Title</h1>\n' +
        '<p>Some <em>em</em>, <strong>strong</strong>, <s>gone</s> and <code>a &lt; b</code>.</p>\n' +
        '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n' +
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n' +
        '<hr>\n' +
        '<p>line<br>\nbreak</p>\n',
    );
  });

  it('renders a fenced code block with its toolbar, index, language and highlighting', () => {
    assert.equal(
      renderMarkdown('```ts\nconst x = 1;\n```\n'),
      `<div class="code-block" data-lang="ts" data-code-index="0">${toolbar(0, 'TypeScript')}` +
        '<pre><code class="hljs language-ts"><span class="hljs-lines"><span class="hljs-keyword">const</span> x = <span class="hljs-number">1</span>;\n</span></code></pre></div>\n',
    );
  });

  it('escapes code in languages it does not highlight, and in blocks without a language', () => {
    assert.equal(
      renderMarkdown('```brainfuck\n<b>&\n```\n'),
      `<div class="code-block" data-lang="brainfuck" data-code-index="0">${toolbar(0, 'brainfuck')}` +
        '<pre><code class="hljs language-brainfuck"><span class="hljs-lines">&lt;b&gt;&amp;\n</span></code></pre></div>\n',
    );
    assert.equal(
      renderMarkdown('    <i>indented</i>\n'),
      `<div class="code-block" data-lang="" data-code-index="0">${toolbar(0)}` +
        '<pre><code class="hljs"><span class="hljs-lines">&lt;i&gt;indented&lt;/i&gt;\n</span></code></pre></div>\n',
    );
  });

  it('names each toolbar button by its block: the language as a person says it, and the block number', () => {
    const labels = [...renderMarkdown('```ts\na\n```\n\n```\nb\n```\n\n```py\nc\n```\n\n```text\nd\n```\n').matchAll(/aria-label="(Copy [^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['Copy TypeScript code, block 1', 'Copy code, block 2', 'Copy Python code, block 3', 'Copy code, block 4']);
  });

  it('renders task list items as disabled checkboxes, and no other input', () => {
    assert.equal(
      renderMarkdown('- [ ] open\n- [x] done\n- [X] also done\n- [y] not a task\n- plain [ ] item\n'),
      '<ul>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-checkbox" disabled>open</li>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-checkbox" disabled checked>done</li>\n' +
        '<li class="task-list-item"><input type="checkbox" class="task-checkbox" disabled checked>also done</li>\n' +
        '<li>[y] not a task</li>\n' +
        '<li>plain [ ] item</li>\n' +
        '</ul>\n',
    );
    assert.equal(renderMarkdown('[ ] not in a list\n'), '<p>[ ] not in a list</p>\n');
    assert.equal(
      renderMarkdown('- [ ] <input type="text" autofocus onfocus="x()">\n'),
      '<ul>\n<li class="task-list-item"><input type="checkbox" class="task-checkbox" disabled>&lt;input type=&quot;text&quot; autofocus onfocus=&quot;x()&quot;&gt;</li>\n</ul>\n',
    );
  });

  it('reads the language from the first word of the info string, lower-cased, and only if it looks like one', () => {
    const lang = (info: string) => /data-lang="([^"]*)"/.exec(renderMarkdown(`\`\`\`${info}\nx\n\`\`\`\n`))?.[1];
    assert.equal(lang('TypeScript title="a.ts"'), 'typescript');
    assert.equal(lang('c++'), 'c++');
    assert.equal(lang('{r}'), '');
    assert.equal(lang('"onmouseover=alert(1)'), '');
    assert.equal(lang(''), '');
  });

  it('highlights every curated language, and `shell` as bash', () => {
    const samples: Record<string, string> = {
      ts: 'let a: string = "x";', js: 'function f() { return 1; }', json: '{"a": true}', python: 'def f(): return None',
      bash: 'if [ -f x ]; then echo hi; fi', shell: 'export A=1', sh: 'echo "$HOME"', console: '$ ls -la', go: 'func main() {}',
      rust: 'fn main() { let x = 1; }', java: 'public class A {}', c: 'int main(void) { return 0; }',
      cpp: '#include <vector>\nint main() {}', csharp: 'public class A { }', css: 'a { color: red; }', html: '<div class="a"></div>',
      xml: '<a b="c"/>', yaml: 'a: 1', markdown: '# Title', sql: 'SELECT * FROM t;', diff: '--- a\n+++ b', php: '<?php echo 1; ?>',
      ruby: 'def f; end', kotlin: 'fun main() {}', swift: 'let x = 1',
    };
    for (const [lang, code] of Object.entries(samples)) {
      assert.match(renderMarkdown(`\`\`\`${lang}\n${code}\n\`\`\`\n`), /<span class="hljs-/, lang);
    }
  });

  it('numbers code blocks in document order, inside lists and quotes too', () => {
    const text = '```a\n1\n```\n\n- item\n\n  ```b\n  2\n  ```\n\n> ~~~c\n> 3\n> ~~~\n\n    four\n';
    const indexes = [...renderMarkdown(text).matchAll(/data-lang="(\w*)" data-code-index="(\d+)"/g)].map((m) => `${m[1]}${m[2]}`);
    assert.deepEqual(indexes, ['a0', 'b1', 'c2', '3']);
  });

  it('keeps only allowed links; others lose their href or stay text', () => {
    assert.equal(renderMarkdown('[a](https://x.dev/p?q=1 "T")'), '<p><a href="https://x.dev/p?q=1" title="T">a</a></p>\n');
    assert.equal(renderMarkdown('[m](mailto:me@x.dev) [h](#part)'), '<p>[m](mailto:me@x.dev) <a href="#part">h</a></p>\n');
    assert.equal(renderMarkdown('[e]()'), '<p><a>e</a></p>\n');
    for (const url of ['javascript:alert(1)', 'vbscript:x', 'data:text/html,x', 'file:///etc/passwd', 'command:workbench.action.quit', 'vscode:extension/x', './rel', '/abs', '//host/x']) {
      assert.doesNotMatch(renderMarkdown(`[x](${url})`), /href/, url);
      assert.doesNotMatch(renderMarkdown(`<${url}>`), /href/, url);
    }
  });

  it('resolves reference links wherever the definition is', () => {
    assert.equal(renderMarkdown('[a] and [b][a]\n\n[A]: https://a.dev "A"\n'), '<p><a href="https://a.dev" title="A">a</a> and <a href="https://a.dev" title="A">b</a></p>\n');
    assert.equal(renderMarkdown('[a]\n\n[a]: javascript:alert(1)\n'), '<p>[a]</p>\n<p>[a]: javascript:alert(1)</p>\n');
  });

  it('never loads an image: an allowed one becomes a link to it, any other its text', () => {
    assert.equal(
      renderMarkdown('![a *cat*](https://x.dev/cat.png "Cat")'),
      '<p><a class="image-link" href="https://x.dev/cat.png" title="Cat">a cat</a></p>\n',
    );
    assert.equal(renderMarkdown('![](https://x.dev/c.png)'), '<p><a class="image-link" href="https://x.dev/c.png">https://x.dev/c.png</a></p>\n');
    assert.equal(renderMarkdown('![pixel](data:image/png;base64,AAAA)'), '<p>![pixel](data:image/png;base64,AAAA)</p>\n');
    assert.equal(renderMarkdown('[![logo](https://x.dev/l.png)](https://x.dev)'), '<p><a href="https://x.dev">logo</a></p>\n');
  });

  it('aligns table cells with classes, not inline styles (the CSP forbids them)', () => {
    assert.equal(
      renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n'),
      '<table>\n<thead>\n<tr>\n<th class="align-left">a</th>\n<th class="align-center">b</th>\n<th class="align-right">c</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td class="align-left">1</td>\n<td class="align-center">2</td>\n<td class="align-right">3</td>\n</tr>\n</tbody>\n</table>\n',
    );
  });

  it('shows raw HTML as text', () => {
    assert.equal(renderMarkdown('<div onclick="x()">hi</div>\n\na <b>b</b>'), '<p>&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;</p>\n<p>a &lt;b&gt;b&lt;/b&gt;</p>\n');
  });

  it('does not turn bare URLs into links', () => {
    assert.equal(renderMarkdown('see https://x.dev'), '<p>see https://x.dev</p>\n');
  });
});

describe('extractCodeBlocks', () => {
  it('gives the raw code and language of each block, by data-code-index', () => {
    const text =
      'Intro\n\n```TS\nconst a = "<b>" && 1;\n```\n\n- x\n\n  ~~~\n  nested\n  ~~~\n\n````md\n```js\ninner\n```\n````\n\n    indented\n      more\n';
    assert.deepEqual(extractCodeBlocks(text), [
      { index: 0, lang: 'ts', code: 'const a = "<b>" && 1;' },
      { index: 1, lang: '', code: 'nested' },
      { index: 2, lang: 'md', code: '```js\ninner\n```' },
      { index: 3, lang: '', code: 'indented\n  more' },
    ]);
  });

  it('gives what has arrived of a block still being written', () => {
    assert.deepEqual(extractCodeBlocks('```py\nprint(1)\npri'), [{ index: 0, lang: 'py', code: 'print(1)\npri' }]);
  });

  it('keeps blank lines inside the code and removes only the last line break', () => {
    assert.deepEqual(extractCodeBlocks('```\na\n\n\nb\n\n```\n'), [{ index: 0, lang: '', code: 'a\n\n\nb\n' }]);
  });
});

describe('isAllowedHref', () => {
  it('allows http, https and fragments', () => {
    for (const url of ['http://a.dev', 'HTTPS://A.DEV/x', '#top', ' https://a.dev ']) assert.ok(isAllowedHref(url), url);
  });

  it('refuses every other scheme and relative URL, however it is spelled', () => {
    for (const url of [
      'mailto:a@b.dev', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0001javascript:alert(1)',
      ' javascript:alert(1)', 'vbscript:msgbox', 'data:text/html,<script>', 'data:image/png;base64,AA', 'file:///etc/passwd',
      'command:workbench.action.terminal.new', 'vscode:extension/evil', 'vscode-webview://x/index.html', 'blob:https://a/1',
      '//evil.dev', '/root', 'rel/path', '', '%6Aavascript:alert(1)', '&#106;avascript:alert(1)',
    ]) {
      assert.ok(!isAllowedHref(url), JSON.stringify(url));
    }
  });
});

describe('vscodeLanguageId', () => {
  it('maps fence names to VS Code language ids', () => {
    assert.equal(vscodeLanguageId('ts'), 'typescript');
    assert.equal(vscodeLanguageId('sh'), 'shellscript');
    assert.equal(vscodeLanguageId('c++'), 'cpp');
    assert.equal(vscodeLanguageId('python'), 'python');
    assert.equal(vscodeLanguageId('lua'), 'lua');
    assert.equal(vscodeLanguageId(''), 'plaintext');
    assert.equal(vscodeLanguageId('constructor'), 'constructor');
  });
});
