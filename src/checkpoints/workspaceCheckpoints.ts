/**
 * Checkpoints of a whole workspace: one shadow repository per folder, under the extension's storage,
 * opened on first use. A turn's checkpoint is one commit per folder that could be snapshotted, and
 * notes saying why any other could not (no git, too large), so the caller can fall back and say so.
 * Node only, no `vscode`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
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
}

export interface FolderChanges {
  folder: string;
  /** From the folder as it is to the checkpoint: `added` comes back, `deleted` goes. */
  changes: FileChange[];
}

export interface PendingRestore {
  changes: FolderChanges[];
  notes: string[];
  /** The checkpoint's folders that are not open in this window: nothing of them is read or changed. */
  notOpen: string[];
}

export interface RestoreOutcome {
  /** Restoring this undoes the restore. */
  undo: TurnCheckpoint;
  restored: FolderChanges[];
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
}

export class WorkspaceCheckpoints {
  private readonly repositories = new Map<string, ShadowRepository>();

  constructor(private readonly options: WorkspaceCheckpointsOptions) {}

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
  async pendingRestore(checkpoint: TurnCheckpoint): Promise<PendingRestore> {
    const pending: PendingRestore = { changes: [], notes: [], notOpen: [] };
    for (const { folder, commit } of checkpoint.folders) {
      const repository = await this.repository(folder);
      const changes = repository instanceof ShadowRepository ? await repository.pendingRestore(commit) : repository;
      if (isUnavailable(changes)) noteUnavailable(pending, folder, changes);
      else if (changes.length > 0) pending.changes.push({ folder, changes });
    }
    return pending;
  }

  /** Puts every folder of `checkpoint` back; each is snapshotted first, which `undo` restores. */
  async restore(conversationId: string, checkpoint: TurnCheckpoint): Promise<RestoreOutcome> {
    const outcome: RestoreOutcome = { undo: { takenAt: Date.now(), folders: [], notes: [] }, restored: [], notes: [], notOpen: [] };
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
    return outcome;
  }

  /** A file as `commit` of `folder` has it; undefined when it has no such file or cannot be read. */
  async fileAt(folder: string, commit: string, file: string): Promise<Buffer | undefined> {
    const repository = await this.repository(folder);
    if (!(repository instanceof ShadowRepository)) return undefined;
    const content = await repository.fileAt(commit, file);
    return isUnavailable(content) ? undefined : content;
  }

  /** A deleted conversation's checkpoints go with it, in every folder. */
  async deleteConversation(conversationId: string): Promise<void> {
    for (const repository of await this.existingRepositories()) await repository.deleteConversation(conversationId);
  }

  /** A copy of conversation `from` (an earlier version kept in the history) keeps the checkpoints
   *  its turns hold, whatever becomes of `from`. */
  async copyConversation(from: string, to: string, checkpoints: readonly TurnCheckpoint[]): Promise<void> {
    const byFolder = new Map<string, string[]>();
    for (const { folder, commit } of checkpoints.flatMap((checkpoint) => checkpoint.folders)) byFolder.set(folder, [...(byFolder.get(folder) ?? []), commit]);
    for (const repository of await this.existingRepositories([...byFolder.keys()])) await repository.copyRefs(from, to, byFolder.get(repository.workTree) ?? []);
  }

  async prune(keepPerConversation: number, maxAgeMs: number): Promise<void> {
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

function noteUnavailable(result: { notes: string[]; notOpen: string[] }, folder: string, unavailable: Unavailable): void {
  result.notes.push(unavailable.message);
  if (unavailable.reason === 'folder-not-open') result.notOpen.push(folder);
}
