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
 * The HTML of `code` in language `lang`: highlight.js's `<span class="hljs-…">` markup around escaped
 * text, or just the escaped text. highlight.js escapes every character of the code it emits.
 */
export function highlightCode(code: string, lang: string): string {
  if (isHighlighted(lang)) {
    try {
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      // A grammar that fails on odd input: fall back to plain text below.
    }
  }
  return escapeHtml(code);
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
