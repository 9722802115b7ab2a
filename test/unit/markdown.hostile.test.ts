import * as assert from 'node:assert/strict';
import { type DefaultTreeAdapterMap, parseFragment } from 'parse5';
import { StreamingMarkdown, renderMarkdown } from '../../src/webview/markdown';

type Node = DefaultTreeAdapterMap['node'];

const HTML_NS = 'http://www.w3.org/1999/xhtml';

/** Each element the renderer may emit, with the attributes it may carry and what their values may be. */
const ALLOWED: Record<string, Record<string, RegExp>> = {
  p: {}, h1: {}, h2: {}, h3: {}, h4: {}, h5: {}, h6: {}, ul: {}, li: { class: /^task-list-item$/ }, blockquote: {}, pre: {}, em: {}, strong: {}, s: {},
  hr: {}, br: {}, table: {}, thead: {}, tbody: {}, tr: {},
  ol: { start: /^\d{1,9}$/ },
  th: { class: /^align-(left|center|right)$/ },
  td: { class: /^align-(left|center|right)$/ },
  a: { href: /^/, title: /^/, class: /^image-link$/ },
  code: { class: /^hljs( language-[a-z0-9_+#.-]+)?$/ },
  // highlight.js: `hljs-keyword`, `hljs-title function_`, and `language-css` around an embedded language.
  span: { class: /^((hljs|language)-[\w-]+( [\w-]+)*|code-lang)$/ },
  // A task list's checkbox, only ever disabled.
  input: { type: /^checkbox$/, class: /^task-checkbox$/, disabled: /^$/, checked: /^$/ },
  div: { class: /^(code-block|code-toolbar)$/, 'data-lang': /^[a-z0-9_+#.-]*$/, 'data-code-index': /^\d+$/ },
  button: {
    type: /^button$/,
    class: /^codicon codicon-(copy|insert|go-to-file)$/,
    'data-code-action': /^(copy|insert|open)$/,
    title: /^[A-Za-z ]+$/,
    'aria-label': /^[\w ,+#.-]+$/,
  },
};

/** Where the webview's links would resolve against. */
const PAGE = 'vscode-webview://0123456789/index.html?id=x';

function hrefProblem(href: string): string | undefined {
  if (href.startsWith('#')) return undefined;
  let protocol: string;
  try {
    protocol = new URL(href, PAGE).protocol;
  } catch {
    // A URL the browser cannot parse goes nowhere; still, its scheme must be one of ours.
    // eslint-disable-next-line no-control-regex
    protocol = /^([a-z][a-z0-9+.-]*:)/i.exec(href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, ''))?.[1].toLowerCase() ?? 'none';
  }
  return ['http:', 'https:'].includes(protocol) ? undefined : `href ${JSON.stringify(href)} resolves to ${protocol}`;
}

/**
 * Problems of `html` read as a browser reads `innerHTML` (parse5 implements the HTML standard's parser):
 * any element, attribute or attribute value outside the allow-list, any link outside http(s)/#,
 * comments, and elements outside the HTML namespace (SVG, MathML).
 */
function problems(html: string): string[] {
  const found: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeName === '#comment') found.push('a comment');
    if (!('tagName' in node)) return;
    const element = node;
    const allowed = ALLOWED[element.tagName];
    if (String(element.namespaceURI) !== HTML_NS) found.push(`<${element.tagName}> in ${element.namespaceURI}`);
    if (!allowed) found.push(`element <${element.tagName}>`);
    for (const { name, value } of element.attrs) {
      const rule = allowed?.[name];
      if (!rule) found.push(`attribute ${name}="${value}" on <${element.tagName}>`);
      else if (!rule.test(value)) found.push(`${name}="${value}" on <${element.tagName}>`);
      if (name === 'href') {
        const problem = hrefProblem(value);
        if (problem) found.push(problem);
      }
    }
    for (const child of element.childNodes) visit(child);
  };
  for (const node of parseFragment(html).childNodes) visit(node);
  return found;
}

function assertInert(html: string, label: string): void {
  assert.deepEqual(problems(html), [], `${label}\n${html}`);
}

const HOSTILE: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"/>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src="javascript:alert(1)">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<link rel=stylesheet href=//evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<form action="javascript:alert(1)"><input type=submit></form>',
  '<details open ontoggle=alert(1)>',
  '<div onmouseover="alert(1)">hover</div>',
  '<a href="javascript:alert(1)">html link</a>',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '<div style="position:fixed;inset:0">cover</div>',
  '<!-- comment --><![CDATA[x]]><?php echo 1; ?>',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea><script>alert(1)</script></textarea>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](&#x6A;avascript:alert(1))',
  '[click](<java\tscript:alert(1)>)',
  '[click](<java\nscript:alert(1)>)',
  '[click](<\u0001javascript:alert(1)>)',
  '[click]( javascript:alert(1) )',
  '[click](%6Aavascript:alert(1))',
  '[click](javascript://%0aalert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '[click](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)',
  '[click](vscode://vscode.git/clone?url=evil)',
  '[click](//evil.example)',
  '[click](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '[click](https://ok.example\' onmouseover=\'alert(1))',
  '[click](https://ok.example"onmouseover="alert(1))',
  '[a]: javascript:alert(1)\n\n[a]',
  '[b]: <data:text/html,x> "t"\n\n[b]',
  '[c]: https://ok.example "x\\" onclick=\\"alert(1)"\n\n[c]',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<file:///etc/passwd>',
  '<command:workbench.action.quit>',
  '<mailto:x@y.z?body=<script>>',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](data:text/html,<script>alert(1)</script>)',
  '![x](https://ok.example/a.png "onerror=alert(1)")',
  '![x" onerror="alert(1)](https://ok.example/a.png)',
  '![<img src=x onerror=alert(1)>](https://ok.example/a.png)',
  '![x](https://ok.example/a.png"onerror="alert(1))',
  '[![x](javascript:alert(1))](javascript:alert(2))',
  '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
  '```"><script>alert(1)</script>\ncode\n```',
  '```js onload=alert(1)\ncode\n```',
  '~~~<img/src/onerror=alert(1)>\nx\n~~~',
  '`<script>alert(1)</script>` and `` <img src=x onerror=alert(1)> ``',
  '    <script>alert(1)</script>',
  '| <script> | <img src=x onerror=alert(1)> |\n|:--|--:|\n| [x](javascript:alert(1)) | <svg onload=alert(1)> |',
  '> <script>alert(1)</script>\n> [x](javascript:alert(1))',
  '- <iframe src=javascript:alert(1)>\n- [x](vbscript:x)',
  '**<img src=x onerror=alert(1)>**',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '\\<script>alert(1)\\</script>',
  '<a href="https://ok.example" onclick="alert(1)">x</a>',
  '<https://ok.example/"onmouseover="alert(1)>',
  '[x](https://ok.example/<script>)',
  '[x](https://ok.example/\u0000)',
  '# <script>alert(1)</script>',
  'Setext <script>\n===',
  '<div>\n\n*markdown inside html block*\n\n</div>',
  '<style>\n.x{}\n</style>\n\n<img src=x onerror=alert(1)>',
];

describe('hostile markdown renders inert', () => {
  it('the checker finds what it must find', () => {
    assert.ok(problems('<script>x</script>').length > 0);
    assert.ok(problems('<p onclick="x">a</p>').length > 0);
    assert.ok(problems('<a href="java&#9;script:x">a</a>').length > 0);
    assert.ok(problems('<a href=" JAVASCRIPT:x">a</a>').length > 0);
    assert.ok(problems('<a href="/rel">a</a>').length > 0);
    assert.ok(problems('<svg></svg>').length > 0);
    assert.ok(problems('<td style="text-align:left">a</td>').length > 0);
    assert.ok(problems('<div class="evil">a</div>').length > 0);
    assert.ok(problems('<!-- x -->').length > 0);
    assert.deepEqual(problems('<p><a href="https://x.example" title="t">a</a> <a href="#top">b</a> <a>c</a></p>'), []);
  });

  for (const text of HOSTILE) {
    it(JSON.stringify(text), () => {
      assertInert(renderMarkdown(text), 'alone');
      assertInert(renderMarkdown(`Text before.\n\n- item\n\n  ${text.replace(/\n/g, '\n  ')}\n\nText after.`), 'in a list item');
    });
  }

  it('no markup from the text reaches the page: every < in the source is escaped or a fence', () => {
    for (const text of HOSTILE) {
      const html = renderMarkdown(text);
      for (const tag of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)) assert.ok(tag[1] in ALLOWED, `<${tag[1]}> from ${JSON.stringify(text)}`);
    }
  });

  it('keeps the hostile text visible as text', () => {
    assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    assert.equal(renderMarkdown('<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    assert.equal(renderMarkdown('[click](javascript:alert(1))'), '<p>[click](javascript:alert(1))</p>\n');
    assert.equal(renderMarkdown('<javascript:alert(1)>'), '<p>&lt;javascript:alert(1)&gt;</p>\n');
  });

  it('each finished block and each tail is inert on its own, for the corpus streamed in random pieces', () => {
    const text = HOSTILE.join('\n\n');
    let seed = 99;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let run = 0; run < 5; run++) {
      const stream = new StreamingMarkdown();
      for (let at = 0; at < text.length; ) {
        const length = 1 + Math.floor(next() * 40);
        const update = stream.append(text.slice(at, at + length));
        at += length;
        for (const html of update.finished) assertInert(html, 'finished block');
        for (const { html } of update.changed) assertInert(html, 'changed block');
        assertInert(update.tail, 'tail');
      }
      for (const html of stream.finish().finished) assertInert(html, 'last block');
      assert.equal(stream.html(), renderMarkdown(text));
    }
  });

  it('random soup of markdown and HTML syntax renders inert', () => {
    const atoms = [
      '<', '>', '"', "'", '=', '/', '\\', '&', '#', ';', ':', '(', ')', '[', ']', '!', '`', '```', '~~~', '*', '_', '\n', '\n\n', ' ', '\t',
      'script', 'img', 'svg', 'iframe', 'style', 'a', 'href', 'src', 'onerror', 'onload', 'javascript', 'JaVaScRiPt', 'data', 'vbscript',
      'alert(1)', '&#106;', '&#x3A;', '&colon;', '&lt;', '%3C', 'http', 'https://x.example', 'mailto', '- ', '> ', '| a |', '|--|', '1. ', '    ',
    ];
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let n = 5 + Math.floor(next() * 60); n > 0; n--) text += atoms[Math.floor(next() * atoms.length)];
      assertInert(renderMarkdown(text), JSON.stringify(text));
    }
  });
});
