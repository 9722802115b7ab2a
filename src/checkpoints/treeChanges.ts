/** The files that differ between two snapshots, read from `git diff-tree -z --raw`. Node only. */
import { nulRecords, runGit, type GitPlace } from './gitProcess';

/** A file's change going from one snapshot to another (git's A, D, M and T). */
export type ChangeKind = 'added' | 'deleted' | 'modified' | 'typeChanged';

export interface FileChange {
  /** Relative to the workspace folder, with `/`. */
  path: string;
  kind: ChangeKind;
}

const KINDS: Record<string, ChangeKind> = { A: 'added', D: 'deleted', M: 'modified', T: 'typeChanged' };

/** A nested repository's commit: its files are not in the snapshot, so there is nothing to restore. */
const GITLINK = '160000';

/** What changes going from `from` to `to` (commits or trees), in path order; renames are a delete and an add. */
export async function treeChanges(place: GitPlace, from: string, to: string): Promise<FileChange[]> {
  const { stdout } = await runGit(place, ['diff-tree', '-r', '-z', '--raw', '--no-renames', '--no-ext-diff', from, to]);
  const records = nulRecords(stdout);
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < records.length; i += 2) {
    // ":100644 100755 <sha> <sha> M", then the path.
    const [sourceMode, targetMode, , , status] = records[i].slice(1).split(' ');
    if (sourceMode === GITLINK || targetMode === GITLINK) continue;
    const kind = KINDS[status];
    if (!kind) throw new Error(`git diff-tree gave an unknown status ${status} for ${records[i + 1]}`);
    changes.push({ path: records[i + 1], kind });
  }
  return changes;
}
