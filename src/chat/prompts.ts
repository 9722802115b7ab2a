import type { CodeReference } from '../shared/protocol';

/** What one turn sends, and how the user's bubble shows it. */
export interface Prompt {
  /** The bubble's text. */
  text: string;
  /** The user message's content as the model receives it. */
  content: string;
  reference?: CodeReference;
}

/** Used when `sonnet.systemPrompt` is empty. */
export const DEFAULT_SYSTEM_PROMPT =
  'You are Sonnet Chat, a programming assistant inside Visual Studio Code. Answer clearly and concisely. ' +
  'Use Markdown; put code in fenced blocks tagged with their language.';

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

/** "Explain Selection": the bubble names the code, the request carries it. */
export function explainSelectionPrompt(selection: Selection): Prompt {
  const { code, path, languageId, startLine, endLine } = selection;
  const lines = describeLines(startLine, endLine);
  const fence = fenceFor(code);
  const content =
    `Explain this code from \`${path}\` (${lines}, language: ${languageId}). ` +
    'Say what it does and how, and point out anything surprising or likely to be a bug.\n\n' +
    `${fence}${languageId}\n${code.replace(/\n$/, '')}\n${fence}`;
  return {
    text: `Explain \`${path}\` ${lines}`,
    content,
    reference: { path, languageId, startLine, endLine },
  };
}
