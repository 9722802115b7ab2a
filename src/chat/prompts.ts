import type { CodeReference } from '../shared/protocol';

/** What one turn sends, and how the user's bubble shows it. */
export interface Prompt {
  /** The bubble's text. */
  text: string;
  /** The user message's content as the model receives it. */
  content: string;
  reference?: CodeReference;
}

/** Sent with every request; `sonnet.systemPrompt` adds to it and never replaces it. */
export const BUILT_IN_SYSTEM_PROMPT =
  'You are Sonnet Chat, a programming assistant inside Visual Studio Code. Answer clearly and concisely. ' +
  'Use Markdown; put code in fenced blocks tagged with their language.';

/**
 * The built-in prompt, then the user's instructions under a heading of their own, so the model reads
 * them as the user's additions; the built-in rules (Markdown, code fences) keep applying.
 */
export function systemPrompt(userInstructions: string): string {
  if (userInstructions === '') return BUILT_IN_SYSTEM_PROMPT;
  return `${BUILT_IN_SYSTEM_PROMPT}\n\nThe user's own instructions (setting sonnet.systemPrompt):\n\n${userInstructions}`;
}

export function plainPrompt(text: string): Prompt {
  return { text, content: text };
}

export interface Selection {
  code: string;
  path: string;
  languageId: string;
  /** 1-based and inclusive. */
  startLine: number;
  endLine: number;
}

export function describeLines(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
}

/** A fence longer than any run of backticks in the code, so the code cannot close it early. */
function fenceFor(code: string): string {
  const longestRun = Math.max(0, ...Array.from(code.matchAll(/`+/g), (run) => run[0].length));
  return '`'.repeat(Math.max(3, longestRun + 1));
}

/** Where code comes from, as the model reads it: `` `src/a.ts` (lines 3–9, language: typescript) ``. */
export function describeSource({ path, languageId, startLine, endLine }: Selection): string {
  return `\`${path}\` (${describeLines(startLine, endLine)}, language: ${languageId})`;
}

/** The code in a fenced block tagged with its language. */
export function fencedCode({ code, languageId }: Selection): string {
  const fence = fenceFor(code);
  return `${fence}${languageId}\n${code.replace(/\n$/, '')}\n${fence}`;
}

/** "Explain Selection": the bubble names the code, the request carries it. */
export function explainSelectionPrompt(selection: Selection): Prompt {
  const { path, languageId, startLine, endLine } = selection;
  const content =
    `Explain this code from ${describeSource(selection)}. ` +
    'Say what it does and how, and point out anything surprising or likely to be a bug.\n\n' +
    fencedCode(selection);
  return {
    text: `Explain \`${path}\` ${describeLines(startLine, endLine)}`,
    content,
    reference: { path, languageId, startLine, endLine },
  };
}
