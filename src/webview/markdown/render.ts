/**
 * Markdown → HTML for model output, safe by construction:
 *
 * - markdown-it with `html: false`: raw HTML in the text is never parsed, only escaped; the renderers of
 *   the two HTML token types are replaced by escaping ones all the same.
 * - Every text and attribute value markdown-it or this module writes goes through HTML escaping;
 *   attribute names come only from the rules below (`href`, `title`, `class`, `start`, the `type`,
 *   `title`, `aria-label`, `data-*` of our own code-block markup, and the `type`, `disabled`, `checked`
 *   of a task list's checkbox).
 * - Links: only `http:`, `https:` and `#fragment` ({@link isAllowedHref}); any other link is
 *   rendered as an `<a>` without `href`. Images are never loaded: an image becomes a link to it (so
 *   nothing is fetched without a click, which the host handles), or just its text.
 * - Table alignment becomes a class (`align-left|center|right`): the view's CSP forbids inline styles.
 *
 * The module is pure (no DOM, no `vscode`): it runs the same in the webview and in Node's unit tests.
 */
import MarkdownIt from 'markdown-it';
import type { Env, RendererRule, StateCore, Token } from 'markdown-it';
import { escapeHtml, highlightCode, languageOf } from './highlight';
import { languageName } from './languageNames';
import { isAllowedHref } from './links';
import type { CodeAction } from '../../shared/protocol';

// ---------------------------------------------------------------------------------------------------
// Reference definitions

/** A link reference definition: `[label]: href "title"`. */
export interface Definition {
  readonly href: string;
  readonly title: string;
}

export type Definitions = ReadonlyMap<string, Definition>;

const NO_DEFINITIONS: Definitions = new Map();

/**
 * Where one parse finds link reference definitions, and what it learns about them. markdown-it keeps
 * definitions in `env.references`: its block phase adds the first definition of each label, its inline
 * phase looks labels up. Here that object is a view on three layers, in document order:
 * `before` (definitions from text before this source), the ones this source defines, and `after`
 * (definitions from text after it, seen only by the inline phase, as in a parse of the whole text,
 * where all definitions are known before any inline content is parsed).
 *
 * It also records every label the inline phase looked up ({@link used}): the rendering of the source
 * depends on the definitions only through those lookups, so a definition of any other label, arriving
 * later, cannot change it.
 */
export class ReferenceScope {
  /** Labels this source defines (and `before` did not). */
  readonly defined = new Map<string, Definition>();
  /** Labels the inline phase looked up, defined or not. */
  readonly used = new Set<string>();
  private inlinePhase = false;

  constructor(
    private readonly before: Definitions = NO_DEFINITIONS,
    private readonly after: Definitions = NO_DEFINITIONS,
  ) {}

  lookup(label: string): Definition | undefined {
    if (!this.inlinePhase) return this.before.get(label) ?? this.defined.get(label);
    this.used.add(label);
    return this.before.get(label) ?? this.defined.get(label) ?? this.after.get(label);
  }

  define(label: string, definition: Definition): void {
    if (this.lookup(label) === undefined) this.defined.set(label, { href: definition.href, title: definition.title });
  }

  /** Called between markdown-it's block and inline phases. */
  startInlinePhase(): void {
    this.inlinePhase = true;
  }

  /** The object markdown-it uses as `env.references`. */
  asReferences(): Record<string, Definition> {
    const fail = (): never => {
      // markdown-it 15 only reads and writes single labels. Should a later version enumerate the
      // definitions, this module must learn about it (the streaming renderer's proof relies on it).
      throw new Error('markdown: enumerating link references is not supported');
    };
    return new Proxy(Object.create(null) as Record<string, Definition>, {
      get: (_target, key) => (typeof key === 'string' ? this.lookup(key) : undefined),
      set: (_target, key, value: Definition) => {
        if (typeof key === 'string') this.define(key, value);
        return true;
      },
      has: (_target, key) => typeof key === 'string' && this.lookup(key) !== undefined,
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
      deleteProperty: fail,
      defineProperty: fail,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// The parser

interface RenderEnv extends Env {
  /** The index of the first code block of this source within the whole message. */
  codeBase: number;
  /** How many code blocks this source has (set by the parse). */
  codeCount: number;
  scope: ReferenceScope;
}

/** What the parse notes on each code block token (`token.meta`). */
type CodeMeta = { codeIndex: number; lang: string };

function codeMeta(token: Token): CodeMeta {
  const meta = token.meta as Partial<CodeMeta> | null;
  if (typeof meta?.codeIndex !== 'number' || typeof meta.lang !== 'string') throw new Error('markdown: code block not numbered');
  return { codeIndex: meta.codeIndex, lang: meta.lang };
}

const md = new MarkdownIt('default', {
  html: false,
  linkify: false,
  typographer: false,
  breaks: false,
});
md.validateLink = isAllowedHref;

/** The language of a fence from its raw info string (backslash escapes and entities not decoded). */
export function fenceLanguage(info: string): string {
  return languageOf(md.utils.unescapeAll(info));
}

/**
 * One line of a fenced block's content as markdown-it takes it: `line` less up to `indent` columns of
 * leading whitespace (the fence's own indentation), tabs counted as markdown-it counts them.
 */
export function fenceContentLine(line: string, indent: number): string {
  if (indent === 0) return line;
  return new md.block.State(line, md, {}, []).getLines(0, 1, indent, true);
}

/**
 * Between the block and inline phases: number the code blocks, turn table alignment into a class, and
 * let the scope know that lookups from now on are the inline phase's.
 */
md.core.ruler.after('block', 'sonnet_after_block', (state: StateCore) => {
  const env = state.env as RenderEnv;
  let count = 0;
  for (const token of state.tokens) {
    if (token.type === 'fence' || token.type === 'code_block') {
      const lang = token.type === 'fence' ? fenceLanguage(token.info) : '';
      const meta: CodeMeta = { codeIndex: env.codeBase + count++, lang };
      token.meta = meta;
    } else if (token.type === 'th_open' || token.type === 'td_open') {
      // markdown-it writes `style="text-align:…"`; the view's CSP forbids inline styles.
      const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''));
      token.attrs = align ? [['class', `align-${align[1]}`]] : null;
    }
  }
  env.codeCount = count;
  env.scope.startInlinePhase();
});

/** A task list item's marker at the start of its text: `[ ]` open, `[x]` done. */
const TASK_MARKER = /^\[([ xX])\][ \t]+/;

/**
 * Task lists (`- [ ] open`, `- [x] done`): a list item whose text starts with a marker gets a disabled
 * checkbox token in its place (rendered by `task_checkbox` below: the only `<input>` the page can get).
 */
md.core.ruler.after('inline', 'sonnet_task_lists', (state: StateCore) => {
  const { tokens } = state;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i];
    if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
    const first = inline.children?.[0];
    const marker = first?.type === 'text' ? TASK_MARKER.exec(first.content) : null;
    if (!first || !marker) continue;
    first.content = first.content.slice(marker[0].length);
    const checkbox = new state.Token('task_checkbox', 'input', 0);
    checkbox.meta = { done: marker[1] !== ' ' };
    inline.children?.unshift(checkbox);
    tokens[i - 2].attrSet('class', 'task-list-item');
  }
});

// ---------------------------------------------------------------------------------------------------
// Renderers

const escapeText: RendererRule = (tokens, idx) => escapeHtml(tokens[idx].content);
md.renderer.rules.html_block = escapeText;
md.renderer.rules.html_inline = escapeText;

/** The actions of a code block's toolbar, as `data-code-action` values: the protocol's. */
export type { CodeAction };

const CODE_BUTTONS: ReadonlyArray<{ action: CodeAction; icon: string; title: string; name: (block: string) => string }> = [
  { action: 'copy', icon: 'copy', title: 'Copy', name: (block) => `Copy ${block}` },
  { action: 'insert', icon: 'insert', title: 'Insert at Cursor', name: (block) => `Insert ${block}, at the cursor` },
  { action: 'open', icon: 'go-to-file', title: 'Open in New Editor', name: (block) => `Open ${block}, in a new editor` },
];

/**
 * A code block's toolbar: a row of its own above the code (so it never covers any, in any theme), with
 * the language's name and the buttons. Each button's accessible name says which block it acts on
 * ("Copy TypeScript code, block 2"): an answer often has several, all with the same three buttons.
 */
function codeToolbar(codeIndex: number, lang: string): string {
  const name = languageName(lang);
  const block = `${name === undefined ? '' : `${escapeHtml(name)} `}code, block ${codeIndex + 1}`;
  const label = name === undefined ? '' : `<span class="code-lang">${escapeHtml(name)}</span>`;
  const buttons = CODE_BUTTONS.map(
    ({ action, icon, title, name: buttonName }) =>
      `<button type="button" class="codicon codicon-${icon}" data-code-action="${action}" title="${title}" aria-label="${buttonName(block)}"></button>`,
  ).join('');
  return `<div class="code-toolbar">${label}${buttons}</div>`;
}

/** A code block's markup up to its code: the toolbar, then `<pre><code>`. */
export function codeBlockOpening(codeIndex: number, lang: string): string {
  const langClass = lang === '' ? '' : ` language-${escapeHtml(lang)}`;
  return `<div class="code-block" data-lang="${escapeHtml(lang)}" data-code-index="${codeIndex}">${codeToolbar(codeIndex, lang)}<pre><code class="hljs${langClass}">`;
}

/** What closes {@link codeBlockOpening}. */
export const CODE_BLOCK_CLOSING = '</code></pre></div>\n';

const renderCode: RendererRule = (tokens, idx) => {
  const token = tokens[idx];
  const { codeIndex, lang } = codeMeta(token);
  return codeBlockOpening(codeIndex, lang) + highlightCode(token.content, lang) + CODE_BLOCK_CLOSING;
};
md.renderer.rules.fence = renderCode;
md.renderer.rules.code_block = renderCode;

md.renderer.rules.task_checkbox = (tokens, idx) => {
  const { done } = tokens[idx].meta as { done: boolean };
  return `<input type="checkbox" class="task-checkbox" disabled${done ? ' checked' : ''}>`;
};

md.renderer.rules.link_open = (tokens, idx) => {
  const token = tokens[idx];
  const href = token.attrGet('href');
  const title = token.attrGet('title');
  let attrs = '';
  // `[text]()` has an empty href. A destination that fails validation leaves the link as text; checked
  // again here all the same.
  if (typeof href === 'string' && href !== '' && isAllowedHref(href)) attrs += ` href="${escapeHtml(href)}"`;
  if (typeof title === 'string' && title !== '') attrs += ` title="${escapeHtml(title)}"`;
  return `<a${attrs}>`;
};

/** Whether the inline token at `idx` is inside a link (links cannot nest). */
function insideLink(tokens: Token[], idx: number): boolean {
  let depth = 0;
  for (let i = 0; i < idx; i++) {
    if (tokens[i].type === 'link_open') depth++;
    else if (tokens[i].type === 'link_close') depth--;
  }
  return depth > 0;
}

md.renderer.rules.image = (tokens, idx, options, env, renderer) => {
  const token = tokens[idx];
  const src = token.attrGet('src');
  const title = token.attrGet('title');
  const alt = renderer.renderInlineAsText(token.children ?? [], options, env);
  if (typeof src !== 'string' || src === '' || !isAllowedHref(src) || insideLink(tokens, idx)) return escapeHtml(alt);
  const titleAttr = typeof title === 'string' && title !== '' ? ` title="${escapeHtml(title)}"` : '';
  return `<a class="image-link" href="${escapeHtml(src)}"${titleAttr}>${escapeHtml(alt || src)}</a>`;
};

// ---------------------------------------------------------------------------------------------------
// Parsing and rendering

/** The tokens of one parsed source, and how to render them. */
export interface ParsedMarkdown {
  readonly tokens: Token[];
  readonly env: RenderEnv;
  /** How many code blocks the source has. */
  readonly codeCount: number;
}

/**
 * Parses `source` (any markdown, or a piece of a longer message that starts at a block boundary).
 * Its reference lookups go through `scope`; its code blocks are numbered from `codeBase`.
 */
export function parseMarkdown(source: string, scope: ReferenceScope, codeBase = 0): ParsedMarkdown {
  const env: RenderEnv = { references: scope.asReferences(), scope, codeBase, codeCount: 0 };
  const tokens = md.parse(source, env);
  return { tokens, env, codeCount: env.codeCount };
}

/** The HTML of `tokens` (all of a parse, or a run of its top-level blocks). */
export function renderTokens(tokens: Token[], env: RenderEnv): string {
  return md.renderer.render(tokens, md.options, env);
}

/** Sanitized HTML of a whole message. */
export function renderMarkdown(text: string): string {
  const parsed = parseMarkdown(text, new ReferenceScope());
  return renderTokens(parsed.tokens, parsed.env);
}

/** The raw text of one code block, for its toolbar's actions. */
export interface CodeBlock {
  /** Its `data-code-index`: its position among the message's code blocks. */
  readonly index: number;
  /** Its `data-lang`: the fence's language, lower-cased, or `''`. */
  readonly lang: string;
  /** The code, without the final line break (so a pasted shell command does not run by itself). */
  readonly code: string;
}

/** The code blocks of a message (fenced and indented), in the order of their `data-code-index`. */
export function extractCodeBlocks(text: string): CodeBlock[] {
  const { tokens } = parseMarkdown(text, new ReferenceScope());
  const blocks: CodeBlock[] = [];
  for (const token of tokens) {
    if (token.type !== 'fence' && token.type !== 'code_block') continue;
    const { codeIndex, lang } = codeMeta(token);
    blocks.push({ index: codeIndex, lang, code: token.content.replace(/\n$/, '') });
  }
  return blocks;
}
