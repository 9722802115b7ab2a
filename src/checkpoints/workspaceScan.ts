/**
 * What a snapshot would take, found before it takes it: the files git would add (the folder's ignore
 * rules applied), their total size against the budget, the files too large to keep, and the nested
 * repositories, which are left out (their own git keeps their history, and git would only record
 * their commit, not their files). Node only, no `vscode`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { nulRecords, runGit, type GitPlace } from './gitProcess';

export interface ScanLimits {
  /** Above this, the folder gets no shadow snapshots at all. */
  maxWorkspaceBytes: number;
  /** A file above this is left out of the snapshot (and so left alone by a restore). */
  maxFileBytes: number;
}

export interface WorkspaceScan {
  files: number;
  /** The bytes of the files a snapshot keeps. */
  bytes: number;
  /** Folder-relative paths of files over `maxFileBytes`. */
  oversized: string[];
  /** Folder-relative paths of nested repositories (and submodules), without the trailing slash. */
  nestedRepositories: string[];
}

/** Stats run this many at a time: enough to keep the disk busy, few enough to leave the host free. */
const STAT_BATCH = 64;

/** The `-c` option that adds the user's `.git/info/exclude` to the ignore rules, when there is one. */
export async function userExcludes(workTree: string): Promise<string[]> {
  const file = path.join(workTree, '.git', 'info', 'exclude');
  const found = await fs.stat(file).then(
    (stat) => stat.isFile(),
    () => false,
  );
  return found ? ['-c', `core.excludesFile=${file}`] : [];
}

export async function scanWorkspace(place: GitPlace, excludes: readonly string[], limits: ScanLimits): Promise<WorkspaceScan> {
  // Cached (what the last snapshot kept, deleted files included) and others (new, not ignored).
  const { stdout } = await runGit(place, [...excludes, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  const scan: WorkspaceScan = { files: 0, bytes: 0, oversized: [], nestedRepositories: [] };
  const files: string[] = [];
  for (const record of nulRecords(stdout)) {
    // git lists a nested repository as a directory, with a slash, instead of its files.
    if (record.endsWith('/')) scan.nestedRepositories.push(record.slice(0, -1));
    else files.push(record);
  }
  for (let start = 0; start < files.length; start += STAT_BATCH) {
    const batch = files.slice(start, start + STAT_BATCH);
    const sizes = await Promise.all(batch.map((file) => fs.lstat(path.join(place.workTree, file)).then((stat) => (stat.isFile() ? stat.size : 0), () => -1)));
    sizes.forEach((size, i) => {
      if (size < 0) return; // deleted since the last snapshot
      if (size > limits.maxFileBytes) {
        scan.oversized.push(batch[i]);
        return;
      }
      scan.files++;
      scan.bytes += size;
    });
  }
  return scan;
}
