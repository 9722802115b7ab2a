/**
 * Puts the workspace folder back to a snapshot, given what changed since: files created since are
 * removed (and the folders left empty by that, unless the snapshot has files there), and the others
 * are written by `git checkout-index` from a throw-away index of the snapshot, so contents, symbolic
 * links and the executable bit come back exactly. Nothing else in the folder is touched. Node only.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nulRecords, runGit, type GitPlace } from './gitProcess';
import type { FileChange } from './treeChanges';

export async function applyChanges(place: GitPlace, target: string, changes: readonly FileChange[]): Promise<void> {
  // Removals first: a file created since may stand where the snapshot has a folder, or differ only in case.
  const removed = changes.filter((change) => change.kind === 'deleted').map((change) => change.path);
  for (const file of removed) await fs.rm(path.join(place.workTree, file), { force: true });
  await removeEmptiedFolders(place, target, removed);

  const written = changes.filter((change) => change.kind !== 'deleted').map((change) => change.path);
  if (written.length === 0) return;
  const restoreIndex: GitPlace = { ...place, indexFile: `${place.indexFile}.restore` };
  try {
    await runGit(restoreIndex, ['read-tree', target]);
    await runGit(restoreIndex, ['checkout-index', '--force', '-z', '--stdin'], { input: written.join('\0') + '\0' });
  } finally {
    await fs.rm(restoreIndex.indexFile, { force: true });
  }
}

/** Removes the folders of `removed` files that are empty now and hold nothing in the snapshot. */
async function removeEmptiedFolders(place: GitPlace, target: string, removed: readonly string[]): Promise<void> {
  if (removed.length === 0) return;
  const kept = await snapshotFolders(place, target);
  const candidates = new Set<string>();
  for (const file of removed) for (let folder = path.posix.dirname(file); folder !== '.' && !kept.has(folder); folder = path.posix.dirname(folder)) candidates.add(folder);
  // Deepest first, so a parent is empty once its children are gone.
  for (const folder of [...candidates].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(path.join(place.workTree, folder)).catch(() => {
      // Not empty (an ignored file, or one the snapshot never saw), or already gone: left as it is.
    });
  }
}

async function snapshotFolders(place: GitPlace, target: string): Promise<Set<string>> {
  const { stdout } = await runGit(place, ['ls-tree', '-r', '-d', '-z', '--name-only', target]);
  return new Set(nulRecords(stdout));
}
