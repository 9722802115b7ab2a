/**
 * Restoring the edit tools' own checkpoints (`EditRecords`): what a restore would change, and the
 * restore itself, through a file access given by the caller (VS Code's file system in the editor, so
 * virtual workspaces restore too; Node's on `file:` URIs in tests). Node only, no `vscode`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EditRecord } from './editRecords';
import type { ChangeKind } from './treeChanges';

/** Files by URI: read (undefined when there is none), write (creating folders), remove. */
export interface FileAccess {
  read(file: string): Promise<Uint8Array | undefined>;
  write(file: string, bytes: Uint8Array): Promise<void>;
  remove(file: string): Promise<void>;
}

/** A file's change from now to the record: `added` comes back, `deleted` goes, as in `FolderChanges`. */
export interface EditChange {
  file: string;
  kind: ChangeKind;
}

/** What restoring `records` would change now; files already as recorded are left out. */
export async function pendingEditRestore(records: readonly EditRecord[], files: FileAccess): Promise<EditChange[]> {
  const changes: EditChange[] = [];
  for (const { file, before } of records) {
    const now = await files.read(file);
    if (before === undefined) {
      if (now !== undefined) changes.push({ file, kind: 'deleted' });
    } else if (now === undefined) changes.push({ file, kind: 'added' });
    else if (!Buffer.from(now).equals(before)) changes.push({ file, kind: 'modified' });
  }
  return changes;
}

/** Puts each file of `records` back: created ones removed, changed ones written as they were. */
export async function applyEditRestore(records: readonly EditRecord[], changes: readonly EditChange[], files: FileAccess): Promise<void> {
  for (const change of changes) {
    const before = records.find((record) => record.file === change.file)?.before;
    if (before === undefined) await files.remove(change.file);
    else await files.write(change.file, before);
  }
}

/** Node's file system, for `file:` URIs only. */
export const NODE_FILE_ACCESS: FileAccess = {
  read: (file) => fs.readFile(fileURLToPath(file)).catch(() => undefined),
  async write(file, bytes) {
    const target = fileURLToPath(file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, bytes);
  },
  remove: (file) => fs.rm(fileURLToPath(file), { force: true }),
};
