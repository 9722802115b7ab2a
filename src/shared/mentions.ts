/**
 * @-mentions as they stand in the text the user types: `@src/a.ts`, `@"my file.ts"` (quoted when the
 * path has spaces), `@problems`. The text stays plain; both the page (chips, links) and the host (what
 * to attach) read the mentions out of it with this parser. Pure TypeScript: no `vscode`, no DOM.
 */

/** The mentions that are not a path, and what each attaches. */
export const SPECIAL_MENTIONS = {
  problems: "the workspace's errors and warnings",
  selection: "the active editor's selection",
  terminal: 'the last command in the active terminal and its output',
  changes: 'the uncommitted changes (git diff)',
} as const;

export type SpecialMention = keyof typeof SPECIAL_MENTIONS;

export const SPECIAL_MENTION_NAMES = Object.keys(SPECIAL_MENTIONS) as SpecialMention[];

export type Mention = { start: number; end: number } & ({ kind: 'special'; name: SpecialMention } | { kind: 'path'; path: string });

/** Punctuation that ends a sentence, not a path: `see @src/a.ts.` names `src/a.ts`. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'>]+$/;

/** `@` at the start, after whitespace or `(`, then a quoted path or a run of non-space characters. */
const MENTION = /(^|[\s(])@(?:"([^"\n]+)"|([^\s"]+))/g;

export function isSpecialMention(name: string): name is SpecialMention {
  return Object.hasOwn(SPECIAL_MENTIONS, name);
}

/** The mentions in `text`, in order. A folder's path may end with `/`, which is kept. */
export function parseMentions(text: string): Mention[] {
  const found: Mention[] = [];
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1].length;
    if (match[2] !== undefined) {
      found.push({ start, end: start + match[0].length - match[1].length, kind: 'path', path: match[2] });
      continue;
    }
    const word = match[3].replace(TRAILING_PUNCTUATION, '');
    if (word === '') continue;
    const end = start + 1 + word.length;
    found.push(isSpecialMention(word) ? { start, end, kind: 'special', name: word } : { start, end, kind: 'path', path: word });
  }
  return found;
}

/** How a path is written as a mention: quoted when it holds whitespace or ends in punctuation the parser would drop. */
export function mentionText(path: string): string {
  return /\s/.test(path) || TRAILING_PUNCTUATION.test(path) ? `@"${path}"` : `@${path}`;
}

/** Whether a path can be written as a mention at all (a `"` or a line break cannot). */
export function mentionable(path: string): boolean {
  return path !== '' && !/["\n\r]/.test(path);
}

/**
 * The mention being typed at the caret, for the picker: where its `@` is and what follows it so far.
 * Undefined when the caret is not in a word that starts with `@` (where `parseMentions` reads one).
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const match = /(?:^|[\s(])@("[^"\n]*|[^\s"]*)$/.exec(before);
  if (!match) return undefined;
  const typed = match[1];
  return { start: caret - typed.length - 1, query: typed.startsWith('"') ? typed.slice(1) : typed };
}

/** The mention that ends exactly at `caret`, for Backspace to remove whole. */
export function mentionEndingAt(text: string, caret: number): Mention | undefined {
  return parseMentions(text).find((mention) => mention.end === caret);
}

/**
 * The mentions of `edited` that `original` does not have, written out, space-separated: what an edit
 * of a prompt must read (the prompt keeps what its first send attached).
 */
export function mentionsAddedIn(edited: string, original: string): string {
  const key = (mention: Mention) => (mention.kind === 'special' ? `@${mention.name}` : mention.path);
  const had = new Set(parseMentions(original).map(key));
  return parseMentions(edited)
    .filter((mention) => !had.has(key(mention)))
    .map((mention) => edited.slice(mention.start, mention.end))
    .join(' ');
}
