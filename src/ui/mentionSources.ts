/**
 * Where the special mentions and folder listings come from in the editor: the read tools the model
 * uses (`get_diagnostics`, `get_selection`, `find_files`, so their caps and rules apply), the terminal
 * history, and the Git extension.
 */
import * as vscode from 'vscode';
import type { SpecialMention } from '../shared/mentions';
import type { ToolHandlerContext } from '../tools/registry';
import type { ToolOutcome } from '../tools/types';
import { findFiles } from '../tools/vscode/searchTools';
import { getDiagnostics, getSelection } from '../tools/vscode/readTools';

import { gitChanges } from './gitChanges';
import { specialDescription, type MentionContent, type MentionSources } from './mentionResolver';
import type { TerminalHistory } from './terminalHistory';

/** Files a folder's listing names at most. */
export const MAX_FOLDER_LISTING = 500;

/** Longest a folder listing may take before it is attached as far as it got. */
const LISTING_TIMEOUT_MS = 10_000;

/** A glob that matches `path` literally: each glob character in a class of its own. */
export function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}!]/g, (char) => `[${char}]`);
}

/** Asks as the tools ask before reading a file that may hold secrets: a modal warning. */
async function askModal(question: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true }, 'Allow')) === 'Allow';
}

export function editorMentionSources(terminals: TerminalHistory, consent: (question: string) => Promise<boolean> = askModal): MentionSources {
  return {
    consent,
    special: async (name: SpecialMention): Promise<MentionContent> => {
      if (name === 'terminal') return terminals.content();
      if (name === 'changes') return gitChanges(consent);
      if (name === 'problems') return fromTool((context) => getDiagnostics.run({ severity: 'warning' }, context), specialDescription(name));
      const question = await getSelection.consentNeeded?.({});
      if (question && !(await consent(question))) return { note: '@selection was not attached: its file may hold secrets, and sharing it was not allowed.' };
      return fromTool((context) => getSelection.run({}, context), specialDescription(name));
    },
    listFolder: (target) =>
      fromTool(
        (context) => findFiles.run({ pattern: target.display === '.' ? '**' : `${literalGlob(target.display)}/**`, maxResults: MAX_FOLDER_LISTING }, context),
        `the folder \`${target.display}/\`: the files in it (ignore rules applied), not their contents`,
      ),
  };
}

/**
 * A read tool's result as a mention's content. These tools read only the signal of their context:
 * they ask nothing and change nothing.
 */
async function fromTool(run: (context: ToolHandlerContext) => Promise<ToolOutcome>, description: string): Promise<MentionContent> {
  const outcome = await run({ signal: AbortSignal.timeout(LISTING_TIMEOUT_MS), callId: 'mention' } as ToolHandlerContext);
  return outcome.status === 'done' ? { text: `${outcome.content}\n`, languageId: 'text', description } : { note: outcome.content };
}
