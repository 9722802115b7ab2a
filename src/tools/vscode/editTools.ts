/**
 * The changing tools. Each change is shown as a diff and waits for Accept or Reject, unless
 * `sonnet.tools.autoApproveEdits` is on or the user chose "Accept all edits in this chat" (within the
 * limit of rounds in a row; files that may hold secrets ask all the same, and Git's
 * folder is refused outright); an accepted change is applied as a `WorkspaceEdit` on the document as
 * it is in the editor, so Undo takes it back.
 */
import * as vscode from 'vscode';
import type { ApprovalAnswer } from '../approvals';
import { splitLines } from '../format';
import type { ToolSettings } from '../settings';
import type { ToolHandler, ToolHandlerContext } from '../registry';
import { planEdit } from '../textEdit';
import { done, refused, ToolError, type ToolOutcome } from '../types';
import type { ProposedChanges } from './proposedChanges';
import { assertWritable, openDocument, resolveTarget, secretQuestion, statOf, type WorkspaceTarget } from './workspace';

interface EditToolsOptions {
  proposals: Pick<ProposedChanges, 'show'>;
  settings: () => ToolSettings;
}

export function editTools({ proposals, settings }: EditToolsOptions): [ToolHandler<'edit_file'>, ToolHandler<'create_file'>] {
  /**
   * Shows the change and waits for the user's answer, unless they chose to skip that. A turn stopped
   * meanwhile (while the document opened, say) is `cancelled`: nothing is shown or applied after Stop.
   */
  async function approve(context: ToolHandlerContext, target: WorkspaceTarget, proposed: string, question: string, isNew: boolean): Promise<ApprovalAnswer> {
    if (context.signal.aborted) return 'cancelled';
    const secret = secretQuestion(target, isNew ? 'create' : 'change');
    const { autoApproval } = context;
    // Secrets ask every time: neither the setting nor this chat's "Accept all edits" covers them.
    const unasked = !secret && (settings().autoApproveEdits || autoApproval.editsInChat);
    if (unasked && autoApproval.mayAutoApprove()) {
      autoApproval.autoApproved();
      return 'approved';
    }
    const diff = proposals.show(context.callId, target.uri, target.display, proposed, isNew);
    try {
      if (secret) return await context.confirm(secret);
      const choice = await context.askEdit(unasked ? `${question} ${autoApproval.limitNote}` : question);
      if (choice.always) autoApproval.acceptEditsInChat();
      return choice.answer;
    } finally {
      diff.dispose();
    }
  }

  const editFile: ToolHandler<'edit_file'> = {
    name: 'edit_file',
    async run(input, context): Promise<ToolOutcome> {
      const target = await resolveTarget(input.path);
      assertWritable(target, 'changed');
      const document = await openTextDocument(target);
      const before = { version: document.version, dirty: document.isDirty };
      const plan = planEdit(document.getText(), input, target.display);
      if (!plan.ok) throw new ToolError(plan.error);
      const { edit } = plan;
      const lines = edit.firstLine === edit.lastLine ? `line ${edit.firstLine}` : `lines ${edit.firstLine}–${edit.lastLine}`;
      const answer = await approve(context, target, edit.proposed, `Apply this change to ${target.display} (${lines})?`, false);
      if (answer !== 'approved') return refused(answer);
      if (document.version !== before.version) {
        throw new ToolError(`${target.display} changed while the edit waited for approval, so it was not applied. Read the file again and redo the edit.`);
      }
      await assertStillLeadsTo(target, input.path, 'changed', 'Read the file again and redo the edit.');
      if (context.signal.aborted) return refused('cancelled');
      // Unreadable now (gone meanwhile): nothing to keep, and never "it was new", which a restore would delete.
      const onDisk = await bytesOnDisk(target.uri);
      if (onDisk) await context.beforeChange?.(target.uri.toString(), onDisk);
      const change = new vscode.WorkspaceEdit();
      change.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.replacement);
      if (!(await vscode.workspace.applyEdit(change))) throw new ToolError(`VS Code could not apply the edit to ${target.display}.`);
      // The user's own unsaved work is never saved for them; a file that was clean is saved. VS Code
      // may be saving it already (`files.refactoring.autoSave` saves what a workspace edit changed in
      // files no editor shows), and then `save()` answers false: that save is waited for.
      const saved = !before.dirty && ((await document.save()) || (await cleanSoon(document)));
      // The diff has closed; the file itself takes its place, where Undo takes the change back.
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
      const state = saved ? 'saved' : 'left unsaved in the editor, with the user’s other unsaved changes';
      return done(`Edited ${target.display}: replaced ${lines}. The change is applied and ${state}.`, `Applied to ${lines}`);
    },
  };

  const createFile: ToolHandler<'create_file'> = {
    name: 'create_file',
    async run(input, context): Promise<ToolOutcome> {
      const target = await resolveTarget(input.path);
      assertWritable(target, 'created');
      if (target.segments.length === 0 || (await statOf(target.uri)) || openDocument(target.uri)) {
        throw new ToolError(`${target.display} already exists; change it with edit_file.`);
      }
      const answer = await approve(context, target, input.content, `Create ${target.display}?`, true);
      if (answer !== 'approved') return refused(answer);
      await assertStillLeadsTo(target, input.path, 'created', 'Check the folder and create the file again.');
      if (context.signal.aborted) return refused('cancelled');
      await context.beforeChange?.(target.uri.toString(), undefined);
      const change = new vscode.WorkspaceEdit();
      change.createFile(target.uri, { contents: new TextEncoder().encode(input.content), overwrite: false, ignoreIfExists: false });
      if (!(await vscode.workspace.applyEdit(change))) throw new ToolError(`VS Code could not create ${target.display} (it may exist by now).`);
      await vscode.window.showTextDocument(target.uri, { preview: true, preserveFocus: true });
      const lineCount = splitLines(input.content).length;
      return done(`Created ${target.display} (${lineCount} line${lineCount === 1 ? '' : 's'}).`, 'Created');
    },
  };

  return [editFile, createFile];
}

/**
 * The approval can wait for minutes, and a link on the way may be swapped meanwhile (a checkout, a
 * build): the path is resolved and judged again before the change is applied. Git's folder is refused
 * outright; any other target than the one the user was shown is refused too, since their answer was
 * about that file (and the secrets question, judged on the same real path, is then the same).
 */
async function assertStillLeadsTo(proposed: WorkspaceTarget, path: string, verb: 'changed' | 'created', redo: string): Promise<void> {
  const now = await resolveTarget(path);
  assertWritable(now, verb);
  if (now.realDisplay !== proposed.realDisplay) {
    throw new ToolError(`${proposed.display} now leads to ${now.realDisplay}, not to ${proposed.realDisplay} as when the change was proposed, so it was not applied. ${redo}`);
  }
}

/** The file as it is on disk (what a restore writes back), through VS Code's file system: virtual workspaces too. */
async function bytesOnDisk(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

async function openTextDocument(target: WorkspaceTarget): Promise<vscode.TextDocument> {
  const open = openDocument(target.uri);
  if (open) return open;
  const stat = await statOf(target.uri);
  if (!stat) throw new ToolError(`${target.display} does not exist; create it with create_file.`);
  if (stat.type & vscode.FileType.Directory) throw new ToolError(`${target.display} is a folder, not a file.`);
  try {
    return await vscode.workspace.openTextDocument(target.uri);
  } catch (error) {
    throw new ToolError(`${target.display} cannot be edited as text: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Whether `document` is clean, or becomes so within a few seconds: a save already under way (VS Code's
 * own, after a workspace edit) ends with it saved, though `save()` answered false meanwhile.
 */
function cleanSoon(document: vscode.TextDocument, waitMs = 5_000): Promise<boolean> {
  if (!document.isDirty) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (clean: boolean) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(clean);
    };
    const timer = setTimeout(() => finish(!document.isDirty), waitMs);
    const listener = vscode.workspace.onDidSaveTextDocument((saved) => {
      if (saved === document) finish(true);
    });
  });
}
