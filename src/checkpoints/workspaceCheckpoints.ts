/**
 * Checkpoints of a whole workspace: one shadow repository per folder, under the extension's storage,
 * opened on first use. A turn's checkpoint is one commit per folder that could be snapshotted, and
 * notes saying why any other could not (no git, too large); the edit tools' changes to files no
 * commit covers are kept apart (`EditRecords`) and restored from there. Node only, no `vscode`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EditRecords } from './editRecords';
import { applyEditRestore, NODE_FILE_ACCESS, pendingEditRestore, type EditChange, type FileAccess } from './editRestore';
import { isUnavailable, ShadowRepository, type Unavailable } from './shadowRepository';
import type { FileChange } from './treeChanges';
import type { ScanLimits } from './workspaceScan';

export interface FolderCommit {
  /** The workspace folder's path. */
  folder: string;
  commit: string;
}

/** What a turn keeps to be restored: saved with the conversation. */
export interface TurnCheckpoint {
  takenAt: number;
  folders: FolderCommit[];
  /** What the checkpoint does not cover, in words for the user. */
  notes: string[];
  /** The record of the edit tools' changes to files outside `folders` (see `EditRecords`), once there is one. */
  edits?: string;
}

export interface FolderChanges {
  folder: string;
  /** From the folder as it is to the checkpoint: `added` comes back, `deleted` goes. */
  changes: FileChange[];
}

/** What a restore would change: folder by folder, and the files only the edit tools kept. */
export interface PendingRestore {
  changes: FolderChanges[];
  edits: EditChange[];
  notes: string[];
  /** The checkpoint's folders that are not open in this window: nothing of them is read or changed. */
  notOpen: string[];
}

export interface RestoreOutcome {
  /** Restoring this undoes the restore. */
  undo: TurnCheckpoint;
  restored: FolderChanges[];
  /** The files restored from the edit tools' own record. */
  edits: EditChange[];
  notes: string[];
  /** As in `PendingRestore`. */
  notOpen: string[];
}

export interface WorkspaceCheckpointsOptions {
  /** The extension's storage for this workspace; each folder's repository goes below it. */
  storageDir: string;
  /** Read at each checkpoint: folders come and go, and the limits are settings. */
  folders(): readonly string[];
  limits(): ScanLimits;
  /** PATH to find git on; the process's own by default. */
  searchPath?: string;
  /** How files the edit tools kept are read and written back; Node's (`file:` only) by default. */
  files?: FileAccess;
}

export class WorkspaceCheckpoints {
  private readonly repositories = new Map<string, ShadowRepository>();
  private readonly edits: EditRecords;

  constructor(private readonly options: WorkspaceCheckpointsOptions) {
    this.edits = new EditRecords(path.join(options.storageDir, 'edit-checkpoints'), () => {
      const { maxFileBytes, maxWorkspaceBytes } = options.limits();
      return { maxFileBytes, maxRecordBytes: maxWorkspaceBytes };
    });
  }

  private get files(): FileAccess {
    return this.options.files ?? NODE_FILE_ACCESS;
  }

  /**
   * An edit tool is about to change `file` (a URI): unless a commit of `checkpoint` covers it, its
   * bytes now are kept in the record `record` of the checkpoint (created on the first such file).
   */
  async keepBeforeEdit(conversationId: string, checkpoint: TurnCheckpoint, record: string, file: string, before: Uint8Array | undefined): Promise<void> {
    if (coveredBy(checkpoint, file)) return;
    const note = await this.edits.keep(conversationId, record, file, before);
    if (note) checkpoint.notes.push(note);
    else checkpoint.edits = record;
  }

  /** Snapshots every folder, for `conversationId`. */
  async take(conversationId: string, label: string): Promise<TurnCheckpoint> {
    const checkpoint: TurnCheckpoint = { takenAt: Date.now(), folders: [], notes: [] };
    const limits = this.options.limits();
    for (const folder of this.options.folders()) {
      const repository = await this.repository(folder);
      if (repository instanceof ShadowRepository) repository.setLimits(limits);
      const snapshot = repository instanceof ShadowRepository ? await repository.snapshot(conversationId, label) : repository;
      if (snapshot.kind === 'taken') {
        checkpoint.folders.push({ folder, commit: snapshot.commit });
        checkpoint.notes.push(...snapshot.notes);
      } else checkpoint.notes.push(snapshot.message);
    }
    return checkpoint;
  }

  /** What restoring `checkpoint` would change, folder by folder. */
  async pendingRestore(conversationId: string, checkpoint: TurnCheckpoint): Promise<PendingRestore> {
    const pending: PendingRestore = { changes: [], edits: [], notes: [], notOpen: [] };
    for (const { folder, commit } of checkpoint.folders) {
      const repository = await this.repository(folder);
      const changes = repository instanceof ShadowRepository ? await repository.pendingRestore(commit) : repository;
      if (isUnavailable(changes)) noteUnavailable(pending, folder, changes);
      else if (changes.length > 0) pending.changes.push({ folder, changes });
    }
    if (checkpoint.edits !== undefined) pending.edits = await pendingEditRestore(await this.edits.load(conversationId, checkpoint.edits), this.files);
    return pending;
  }

  /** Puts every folder of `checkpoint` back; each is snapshotted first, which `undo` restores. */
  async restore(conversationId: string, checkpoint: TurnCheckpoint): Promise<RestoreOutcome> {
    const outcome: RestoreOutcome = { undo: { takenAt: Date.now(), folders: [], notes: [] }, restored: [], edits: [], notes: [], notOpen: [] };
    for (const { folder, commit } of checkpoint.folders) {
      const repository = await this.repository(folder);
      const restored = repository instanceof ShadowRepository ? await repository.restore(conversationId, commit) : repository;
      if (restored.kind === 'unavailable') {
        noteUnavailable(outcome, folder, restored);
        continue;
      }
      outcome.undo.folders.push({ folder, commit: restored.before });
      if (restored.changes.length > 0) outcome.restored.push({ folder, changes: restored.changes });
    }
    if (checkpoint.edits !== undefined) await this.restoreEdits(conversationId, checkpoint.edits, outcome);
    return outcome;
  }

  /** The files of the edit tools' record back, after keeping them as they are now in a record of their own, to undo it. */
  private async restoreEdits(conversationId: string, record: string, outcome: RestoreOutcome): Promise<void> {
    const records = await this.edits.load(conversationId, record);
    const changes = await pendingEditRestore(records, this.files);
    const undo = `${record} restored at ${outcome.undo.takenAt}`;
    for (const { file } of changes) {
      const note = await this.edits.keep(conversationId, undo, file, await this.files.read(file));
      if (note) outcome.notes.push(`${note} Undo Restore will leave it as restored.`);
    }
    await applyEditRestore(records, changes, this.files);
    outcome.undo.edits = undo;
    outcome.edits = changes;
  }

  /** A file as the edit tools' record keeps it; undefined when it was created then, or is not kept. */
  async keptBeforeEdit(conversationId: string, record: string, file: string): Promise<Buffer | undefined> {
    return (await this.edits.load(conversationId, record)).find((entry) => entry.file === file)?.before;
  }

  /** A file as `commit` of `folder` has it; undefined when it has no such file or cannot be read. */
  async fileAt(folder: string, commit: string, file: string): Promise<Buffer | undefined> {
    const repository = await this.repository(folder);
    if (!(repository instanceof ShadowRepository)) return undefined;
    const content = await repository.fileAt(commit, file);
    return isUnavailable(content) ? undefined : content;
  }

  /**
   * Keeps `checkpoints` (another conversation's) as `conversationId`'s too: an earlier version copied
   * from a conversation still restores after that conversation is deleted or its checkpoints pruned.
   */
  async keepFor(conversationId: string, checkpoints: readonly TurnCheckpoint[]): Promise<string[]> {
    const notes: string[] = [];
    await this.edits.keepFor(conversationId, checkpoints.flatMap((checkpoint) => (checkpoint.edits === undefined ? [] : [checkpoint.edits])));
    for (const folder of new Set(checkpoints.flatMap((checkpoint) => checkpoint.folders.map((entry) => entry.folder)))) {
      const commits = checkpoints.flatMap((checkpoint) => checkpoint.folders.filter((entry) => entry.folder === folder).map((entry) => ({ commit: entry.commit, createdAt: checkpoint.takenAt })));
      const repository = await this.repository(folder);
      const kept = repository instanceof ShadowRepository ? await repository.keepFor(conversationId, commits) : repository;
      if (isUnavailable(kept)) notes.push(kept.message);
    }
    return notes;
  }

  /** A deleted conversation's checkpoints go with it, in every folder. */
  async deleteConversation(conversationId: string): Promise<void> {
    await this.edits.deleteConversation(conversationId);
    for (const repository of await this.existingRepositories()) await repository.deleteConversation(conversationId);
  }

  async prune(keepPerConversation: number, maxAgeMs: number): Promise<void> {
    await this.edits.prune(keepPerConversation, maxAgeMs);
    for (const repository of await this.existingRepositories()) await repository.prune(keepPerConversation, maxAgeMs);
  }

  /** Resolves once every repository has finished what it was doing (upkeep included). */
  async idle(): Promise<void> {
    await Promise.all([...this.repositories.values()].map((repository) => repository.idle()));
  }

  /** The repositories of the open folders (of `only` those) that have one already: housekeeping creates none. */
  private async existingRepositories(only?: readonly string[]): Promise<ShadowRepository[]> {
    const found: ShadowRepository[] = [];
    for (const folder of this.options.folders().filter((open) => only?.includes(open) ?? true)) {
      const exists = await fs.stat(path.join(this.gitDir(folder), 'HEAD')).then(
        () => true,
        () => false,
      );
      const repository = exists ? await this.repository(folder) : undefined;
      if (repository instanceof ShadowRepository) found.push(repository);
    }
    return found;
  }

  private gitDir(folder: string): string {
    return path.join(this.options.storageDir, 'checkpoints', createHash('sha256').update(folder).digest('hex').slice(0, 16));
  }

  /** The folder's repository, opened once; an unavailable one is asked again next time (git may come).
   *  Only for a folder open in this window: a checkpoint from another window's conversation would
   *  otherwise create a repository for its folder here and snapshot all of it. */
  private async repository(folder: string): Promise<ShadowRepository | Unavailable> {
    if (!this.options.folders().includes(folder)) return { kind: 'unavailable', reason: 'folder-not-open', message: `${folder} is not open in this window, so its checkpoint is neither shown nor restored here; open the folder to restore it.` };
    const open = this.repositories.get(folder);
    if (open) return open;
    const opened = await ShadowRepository.open({ gitDir: this.gitDir(folder), workTree: folder, searchPath: this.options.searchPath, ...this.options.limits() });
    if (opened instanceof ShadowRepository) this.repositories.set(folder, opened);
    return opened;
  }
}

/** Whether a commit of `checkpoint` has `file` (a URI): a file below one of its folders. */
function coveredBy(checkpoint: TurnCheckpoint, file: string): boolean {
  if (!file.startsWith('file:')) return false;
  const local = fileURLToPath(file);
  return checkpoint.folders.some(({ folder }) => {
    const relative = path.relative(folder, local);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}

function noteUnavailable(result: { notes: string[]; notOpen: string[] }, folder: string, unavailable: Unavailable): void {
  result.notes.push(unavailable.message);
  if (unavailable.reason === 'folder-not-open') result.notOpen.push(folder);
}
