import { MODE_NAMES, type ChatMode } from '../shared/chatModes';
import type { CodeReference } from '../shared/protocol';
import type { PromptImage } from './promptImages';

/** What one turn sends, and how the user's bubble shows it. */
export interface Prompt {
  /** The bubble's text. */
  text: string;
  /** The user message's content as the model receives it. */
  content: string;
  reference?: CodeReference;
  /** Sent before `content`, in the same user message. */
  images?: PromptImage[];
}

/** Sent with every request; `sonnet.systemPrompt` adds to it and never replaces it. */
export const BUILT_IN_SYSTEM_PROMPT =
  'You are Sonnet Chat, a programming assistant inside Visual Studio Code. Answer clearly and concisely. ' +
  'Use Markdown; put code in fenced blocks tagged with their language.';

const HOW_TO_SWITCH = 'The user can switch to Agent mode with the mode picker under the chat input.';

/** What the model is told of its mode; Agent (every enabled tool) adds nothing. */
export const MODE_PROMPTS: Record<ChatMode, string | undefined> = {
  ask:
    'This conversation is in Ask mode: you can read the workspace with the tools offered, but you cannot change anything ' +
    '(no edits, no new files, no commands). When the user wants a change, show it as code they can apply, and tell them ' +
    `that you could make it yourself in Agent mode. ${HOW_TO_SWITCH}`,
  agent: undefined,
  plan:
    'This conversation is in Plan mode: do not change anything (no edits, no new files, no commands; only the tools that ' +
    'read are offered). Look into what you need with them, then answer with a numbered plan: one step per item, naming ' +
    `the files and what changes in each. The user runs the plan with the "Run this plan" button under your answer, which ` +
    'switches to Agent mode and asks you to carry it out.',
};

/**
 * The built-in prompt, the mode's rules, then the user's instructions under a heading of their own,
 * so the model reads them as the user's additions; the built-in rules (Markdown, code fences, the
 * mode) keep applying.
 */
export function systemPrompt(userInstructions: string, mode: ChatMode): string {
  const modePrompt = MODE_PROMPTS[mode];
  const builtIn = modePrompt ? `${BUILT_IN_SYSTEM_PROMPT}\n\n${modePrompt}` : BUILT_IN_SYSTEM_PROMPT;
  if (userInstructions === '') return builtIn;
  return `${builtIn}\n\nThe user's own instructions (setting sonnet.systemPrompt):\n\n${userInstructions}`;
}

/** Why a changing tool did not run in a mode that offers none. */
export function notInModeResult(name: string, mode: ChatMode): string {
  return `Not run: ${name} changes the workspace, and this conversation is in ${MODE_NAMES[mode]} mode, which cannot change anything. ${HOW_TO_SWITCH}`;
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

/** The system prompt of a compaction's summary request (see `compactionRequest.ts`). */
export const COMPACTION_SYSTEM_PROMPT =
  'You summarize a conversation between a user and Sonnet Chat, a programming assistant inside Visual Studio Code, ' +
  'so that the assistant can go on with it from your summary alone: the turns you summarize will not be seen again.';

/** What the summary must keep; sent after the transcript. */
export const COMPACTION_INSTRUCTION = [
  'Write a summary of the conversation above, in Markdown, under these headings:',
  '1. **User instructions and preferences**: everything the user asked for or said about how to work, in their words where it matters.',
  '2. **Decisions**: what was decided, and why.',
  '3. **Files**: every file path read, created or changed, with what matters about it.',
  '4. **Errors**: errors met (commands, tests, tools) and whether they were fixed.',
  '5. **Open tasks**: what is left to do, and what was being done last.',
  'Keep names, paths, commands and numbers exact. Leave out what no longer matters. Do not address the user; write only the summary.',
].join('\n');
