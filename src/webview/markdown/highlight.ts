/**
 * Syntax highlighting for code blocks: highlight.js's core with only the languages people ask about
 * most, so the webview bundle stays small. No automatic language detection (it runs every grammar on
 * every block, which is slow while streaming and often wrong): a block without a known language is
 * shown as plain, escaped text.
 */
import hljsCore from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/** Our own instance, so registering languages changes nothing for anyone else using highlight.js. */
const hljs = hljsCore.newInstance();
const grammars = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown, php, plaintext, python,
  ruby, rust, sql, swift, typescript, xml, yaml,
};
for (const [name, grammar] of Object.entries(grammars)) hljs.registerLanguage(name, grammar);
// highlight.js's `shell` grammar is a terminal session (`$ ls` prompts, then output); models write
// ```shell for scripts, so `shell` means bash here and the session grammar answers to `console`.
hljs.registerLanguage('shellsession', shell);
hljs.registerAliases(['shell', 'shellscript'], { languageName: 'bash' });

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * The language of a fenced block from its info string (`ts title="x"` → `ts`), lower-cased; `''` when
 * there is none or it has characters a language name does not (so it is safe in a class or attribute).
 * `info` is the info string with backslash escapes and entities already decoded.
 */
export function languageOf(info: string): string {
  const first = info.trim().split(/\s+/, 1)[0] ?? '';
  const lang = first.toLowerCase();
  return /^[a-z0-9_+#.-]{1,40}$/.test(lang) ? lang : '';
}

/** Whether `lang` (as returned by {@link languageOf}) is one the highlighter knows. */
export function isHighlighted(lang: string): boolean {
  return lang !== '' && hljs.getLanguage(lang) !== undefined;
}

/**
 * The longest run of code highlighted as one piece. A piece normally ends at the first line after
 * which the grammar is back at its top level; a construct open for longer than this (a huge comment or
 * string) is cut here, and what follows is highlighted as if it started afresh.
 */
const LONGEST_PIECE = 4096;

/** Lines of code per `hljs-lines` group. */
const GROUP_LINES = 64;

/**
 * Highlights code line by line as it is written, each line once. Lines are gathered into pieces that
 * end where the grammar is back at its top level (as editors' line-based grammars carry a state from
 * line to line); a finished piece's HTML is final, balanced markup, and each next piece starts afresh.
 * Pieces are gathered in turn into groups of about 64 lines, each a `<span class="hljs-lines">` laid
 * out as a block, so a page adding lines lays out the last group, not the whole code.
 * A code block is highlighted the same way whether its lines arrive together or one at a time, which
 * is what lets a streamed block end exactly as a block rendered in one go, and makes each new line
 * cost its piece (usually itself), not the block.
 */
export class CodeHighlighter {
  private readonly grammar: string | undefined;
  /** Complete lines of the piece not yet finished. */
  private open = '';
  /** HTML of the finished pieces of the group not yet complete, and its lines. */
  private group = '';
  private groupLines = 0;

  constructor(lang: string) {
    this.grammar = isHighlighted(lang) ? lang : undefined;
  }

  /**
   * Adds complete lines (each ending with `\n`) and returns the HTML of the groups they completed,
   * to be appended after the earlier ones.
   */
  addLines(lines: string): string {
    let settled = '';
    for (let start = 0; start < lines.length; ) {
      const end = lines.indexOf('\n', start) + 1 || lines.length;
      this.open += lines.slice(start, end);
      start = end;
      const piece = this.highlight(this.open);
      if (!piece.atTop && this.open.length < LONGEST_PIECE) continue;
      this.group += piece.html;
      this.groupLines += this.open.split('\n').length - 1;
      this.open = '';
      if (this.groupLines >= GROUP_LINES) {
        settled += group(this.group);
        this.group = '';
        this.groupLines = 0;
      }
    }
    return settled;
  }

  /** The lines of the unfinished piece: what each next line highlights again with it. */
  get unfinished(): string {
    return this.open;
  }

  /** The HTML of the group not yet complete, with the unfinished piece and `partial` (a last line still being written). */
  rest(partial = ''): string {
    const text = this.open + partial;
    const html = this.group + (text === '' ? '' : this.highlight(text).html);
    return html === '' ? '' : group(html);
  }

  private highlight(code: string): { html: string; atTop: boolean } {
    if (this.grammar === undefined) return { html: escapeHtml(code), atTop: true };
    try {
      const result = hljs.highlight(code, { language: this.grammar, ignoreIllegals: true });
      // `_top` is the mode the grammar ended in; its language itself means nothing is left open.
      return { html: result.value, atTop: result._top === undefined || result._top === hljs.getLanguage(this.grammar) };
    } catch {
      // A grammar that fails on odd input: plain text.
      return { html: escapeHtml(code), atTop: true };
    }
  }
}

function group(html: string): string {
  return `<span class="hljs-lines">${html}</span>`;
}

/**
 * The HTML of `code` in language `lang`: highlight.js's `<span class="hljs-…">` markup around escaped
 * text ({@link CodeHighlighter}), or just the escaped text. highlight.js escapes every character of the
 * code it emits.
 */
export function highlightCode(code: string, lang: string): string {
  const highlighter = new CodeHighlighter(lang);
  const lastBreak = code.lastIndexOf('\n') + 1;
  return highlighter.addLines(code.slice(0, lastBreak)) + highlighter.rest(code.slice(lastBreak));
}

/** VS Code language ids for the names models put on code fences, where the two differ. */
const VSCODE_LANGUAGE_IDS: Record<string, string> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript', jsx: 'javascriptreact',
  json5: 'json', py: 'python', python3: 'python', py3: 'python',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', console: 'shellscript',
  shellsession: 'shellscript', golang: 'go', rs: 'rust', h: 'c', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp',
  hpp: 'cpp', hh: 'cpp', cs: 'csharp', 'c#': 'csharp', htm: 'html', xhtml: 'html', svg: 'xml',
  yml: 'yaml', md: 'markdown', patch: 'diff', rb: 'ruby', kt: 'kotlin', kts: 'kotlin',
  ps1: 'powershell', pwsh: 'powershell', make: 'makefile', text: 'plaintext', txt: 'plaintext',
};

/**
 * The VS Code language id for a code block's language (`ts` → `typescript`), for "Open in new editor".
 * Names not in the table are returned as they are (most fence names are already VS Code ids, such as
 * `python`, `rust`, `lua`); `plaintext` for a block without a language. The host should still check
 * the id against `vscode.languages.getLanguages()`.
 */
export function vscodeLanguageId(lang: string): string {
  if (lang === '') return 'plaintext';
  return Object.hasOwn(VSCODE_LANGUAGE_IDS, lang) ? VSCODE_LANGUAGE_IDS[lang] : lang;
}
