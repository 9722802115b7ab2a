/**
 * **Sonnet: Restore Checkpoint…** (also a turn's Restore checkpoint button): pick a turn of the
 * conversation on screen that took a checkpoint, see what a restore would change (each file opens as a
 * diff: now, and as it will be), confirm, and every file goes back; the message that follows offers
 * **Undo Restore** (the restore's own checkpoint). The confirm can also take the conversation back to
 * before that turn: it and the later turns are dropped (kept in the history as an earlier version), and
 * its prompt goes back into the input for editing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRestore, TurnCheckpoint, WorkspaceCheckpoints } from '../checkpoints/workspaceCheckpoints';
import type { ChangeKind } from '../checkpoints/treeChanges';
import type { ChatController } from '../chat/chatController';
import { isRestorable, type Turn } from '../chat/conversation';
import { editableText } from '../chat/promptEdit';

export const CHECKPOINT_SCHEME = 'sonnet-checkpoint';

/** How a file fares in the restore, from the folder as it is to the checkpoint. */
const WHAT_RESTORE_DOES: Record<ChangeKind, { icon: string; says: string }> = {
  added: { icon: 'diff-added', says: 'comes back (deleted since)' },
  deleted: { icon: 'diff-removed', says: 'is removed (created since)' },
  modified: { icon: 'diff-modified', says: 'goes back to how it was' },
  typeChanged: { icon: 'diff-modified', says: 'goes back to how it was (file or link)' },
};

interface FileItem extends vscode.QuickPickItem {
  /** The file as it is now, and as the checkpoint has it. */
  now: vscode.Uri;
  restored: vscode.Uri;
  display: string;
  change: ChangeKind;
}

/** Where a file of a checkpoint comes from: a folder's snapshot, the edit tools' record, or nowhere (an empty side). */
type CheckpointSource = { folder: string; commit: string } | { conversation: string; record: string; file: string } | { none: true };

/** The files of a checkpoint as VS Code documents: `sonnet-checkpoint:/<file>?<where from>`. */
export class CheckpointDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly checkpoints: WorkspaceCheckpoints) {}

  static uri(file: string, source: CheckpointSource): vscode.Uri {
    return vscode.Uri.from({ scheme: CHECKPOINT_SCHEME, path: `/${file}`, query: JSON.stringify(source) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = JSON.parse(uri.query) as CheckpointSource;
    if ('none' in source) return '';
    const content =
      'commit' in source ? await this.checkpoints.fileAt(source.folder, source.commit, uri.path.slice(1)) : await this.checkpoints.keptBeforeEdit(source.conversation, source.record, source.file);
    return content?.toString('utf8') ?? '';
  }
}

/** What the confirm chose: the files only, or the conversation too. */
type RestoreChoice = 'files' | 'filesAndConversation';

/** Where a conversation restore puts the dropped turn's prompt: the Chat view's input, focused. */
export type PutInComposer = (text: string) => void;

export async function restoreCheckpoint(controller: ChatController, checkpoints: WorkspaceCheckpoints, putInComposer: PutInComposer, turnId?: unknown): Promise<void> {
  const conversation = controller.current;
  const turns = conversation.turns.filter(isRestorable);
  if (turns.length === 0) {
    void vscode.window.showInformationMessage('Sonnet Chat: no turn of this conversation has changed files yet, so there is no checkpoint to restore.');
    return;
  }
  if (controller.busy) {
    void vscode.window.showWarningMessage('Sonnet Chat: stop the answer being written first; a restore while tools run would mix their changes with the restored files.');
    return;
  }
  const chosen =
    turns.find((turn) => turn.id === turnId) ??
    (
      await vscode.window.showQuickPick(
        [...turns].reverse().map((turn) => ({ label: turn.prompt.text.split('\n')[0].slice(0, 80) || '(empty prompt)', description: new Date(turn.checkpoint!.takenAt).toLocaleString(), turn })),
        { title: 'Restore Checkpoint', placeHolder: 'Put the files back as they were before which turn?' },
      )
    )?.turn;
  if (!chosen?.checkpoint) return;
  const pending = await checkpoints.pendingRestore(conversation.id, chosen.checkpoint);
  for (const note of pending.notes) void vscode.window.showWarningMessage(`Sonnet Chat: ${note}`);
  const files = fileItems(conversation.id, chosen.checkpoint, pending);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Sonnet Chat: nothing to restore; the files are as they were before that turn.');
    return;
  }
  const laterTurns = conversation.turns.length - 1 - conversation.turns.indexOf(chosen);
  const choice = await confirmFiles(files, chosen.checkpoint, laterTurns);
  if (!choice) return;
  // The confirm may have stayed open while an answer began: its tools' changes would mix with the restore.
  if (controller.busy) {
    void vscode.window.showWarningMessage('Sonnet Chat: an answer began while you chose; nothing was restored. Stop it first, then restore.');
    return;
  }
  const outcome = await checkpoints.restore(conversation.id, chosen.checkpoint);
  if (choice === 'filesAndConversation') rewindConversation(controller, chosen, putInComposer);
  for (const note of outcome.notes) void vscode.window.showWarningMessage(`Sonnet Chat: ${note}`);
  const count = outcome.restored.reduce((sum, folder) => sum + folder.changes.length, 0) + outcome.edits.length;
  const undo = await vscode.window.showInformationMessage(`Sonnet Chat restored ${count} ${count === 1 ? 'file' : 'files'} to before "${chosen.prompt.text.slice(0, 60)}".`, 'Undo Restore');
  if (undo !== 'Undo Restore') return;
  const undone = await checkpoints.restore(conversation.id, outcome.undo);
  for (const note of undone.notes) void vscode.window.showWarningMessage(`Sonnet Chat: ${note}`);
  void vscode.window.showInformationMessage('Sonnet Chat: the restore is undone; the files are as they were before it.');
}

/** Drops `turn` and the later ones (the history keeps them as an earlier version); its prompt goes back into the input. */
function rewindConversation(controller: ChatController, turn: Turn, putInComposer: PutInComposer): void {
  if (!controller.dropFrom(turn.id)) {
    void vscode.window.showWarningMessage('Sonnet Chat: the files are restored, but the conversation was left as it is (an answer is being written, or the conversation changed).');
    return;
  }
  putInComposer(editableText(turn.prompt) ?? turn.prompt.text);
}

/** "this turn and the 2 later ones", for the confirm. */
function droppedTurns(laterTurns: number): string {
  if (laterTurns === 0) return 'drops this turn';
  return `drops this turn and the ${laterTurns === 1 ? 'later one' : `${laterTurns} later turns`}`;
}

/** The files a restore changes, each with the two sides of its diff. */
function fileItems(conversationId: string, checkpoint: TurnCheckpoint, pending: PendingRestore): FileItem[] {
  const multiRoot = pending.changes.length > 1;
  const item = (display: string, now: vscode.Uri, restored: vscode.Uri, change: ChangeKind): FileItem => ({
    label: `$(${WHAT_RESTORE_DOES[change].icon}) ${display}`,
    description: WHAT_RESTORE_DOES[change].says,
    now,
    restored,
    display,
    change,
  });
  const snapshotted = pending.changes.flatMap(({ folder, changes }) => {
    const commit = checkpoint.folders.find((entry) => entry.folder === folder)?.commit ?? '';
    return changes.map((change) => item(`${multiRoot ? `${path.basename(folder)}/` : ''}${change.path}`, vscode.Uri.file(path.join(folder, change.path)), CheckpointDocuments.uri(change.path, { folder, commit }), change.kind));
  });
  const record = checkpoint.edits ?? '';
  const edited = pending.edits.map(({ file, kind }) => {
    const uri = vscode.Uri.parse(file, true);
    const display = vscode.workspace.asRelativePath(uri, multiRoot);
    return item(display, uri, CheckpointDocuments.uri(display, { conversation: conversationId, record, file }), kind);
  });
  return [...snapshotted, ...edited];
}

/** Lists the files; picking one shows its diff and comes back; the first two items restore. */
async function confirmFiles(files: readonly FileItem[], checkpoint: TurnCheckpoint, laterTurns: number): Promise<RestoreChoice | undefined> {
  const restore: vscode.QuickPickItem = { label: `$(discard) Restore ${files.length} ${files.length === 1 ? 'file' : 'files'}`, description: 'pick a file below to see its diff first' };
  const restoreConversation: vscode.QuickPickItem = {
    label: `$(history) Restore ${files.length === 1 ? 'the file' : 'files'} and conversation (${droppedTurns(laterTurns)})`,
    description: 'the dropped turns stay in the history as an earlier version; this prompt goes back into the input',
  };
  // Said where the user decides, not only in a notification that may have gone unread.
  const editsOnly: vscode.QuickPickItem[] =
    checkpoint.edits === undefined ? [] : [{ label: '$(info) Checkpoints cover only Sonnet’s own edits here', detail: checkpoint.notes.join(' ') || 'no snapshot of this folder could be taken' }];
  for (;;) {
    const items: vscode.QuickPickItem[] = [restore, restoreConversation, ...editsOnly, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...files];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Restore Checkpoint: these files change',
      placeHolder: 'Restore, or pick a file to see what changes',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked === restore) return 'files';
    if (picked === restoreConversation) return 'filesAndConversation';
    const file = files.find((entry) => entry === picked);
    if (file) await showDiff(file);
  }
}

async function showDiff(item: FileItem): Promise<void> {
  // A file deleted since has no "now": an empty document of the checkpoint's scheme stands in.
  const left = item.change === 'added' ? CheckpointDocuments.uri(item.display, { none: true }) : item.now;
  await vscode.commands.executeCommand('vscode.diff', left, item.restored, `${item.display}: now ↔ after the restore`, { preview: true });
}
