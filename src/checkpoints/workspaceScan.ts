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

/**
 * The sizes of the folder's files, kept between snapshots: the first scan stats every file git would
 * add; later ones only what git says changed since the last snapshot (`--modified`, against the
 * private index's stat data) and what is new, so a snapshot after a turn stats a handful of files.
 */
export class WorkspaceSizes {
  private readonly sizes = new Map<string, number>();
  private scanned = false;

  async scan(place: GitPlace, excludes: readonly string[], limits: ScanLimits): Promise<WorkspaceScan> {
    // First: what the last snapshot kept (deleted files included) and what is new, not ignored. Later:
    // what changed or is new (files left out as oversized are never cached, so they are listed again).
    const which = this.scanned ? ['--modified', '--others'] : ['--cached', '--others'];
    const { stdout } = await runGit(place, [...excludes, 'ls-files', '-z', ...which, '--exclude-standard']);
    const nestedRepositories: string[] = [];
    const files = new Set<string>();
    for (const record of nulRecords(stdout)) {
      // git lists a nested repository as a folder, with a slash, instead of its files.
      if (record.endsWith('/')) nestedRepositories.push(record.slice(0, -1));
      else files.add(record);
    }
    // A folder that became a repository of its own while its files were kept: git still lists them as
    // files, so its `.git` is looked for in every folder the snapshot keeps files in.
    for (const folder of await foldersHoldingGit(place.workTree, this.sizes.keys())) if (!nestedRepositories.includes(folder)) nestedRepositories.push(folder);
    nestedRepositories.sort();
    const isNested = insideAny(nestedRepositories);
    this.forget([...this.sizes.keys()].filter(isNested));
    const listed = [...files].filter((file) => !isNested(file));
    for (let start = 0; start < listed.length; start += STAT_BATCH) {
      const batch = listed.slice(start, start + STAT_BATCH);
      const sizes = await Promise.all(batch.map((file) => fs.lstat(path.join(place.workTree, file)).then((stat) => (stat.isFile() ? stat.size : 0), () => -1)));
      sizes.forEach((size, i) => (size < 0 ? this.sizes.delete(batch[i]) : this.sizes.set(batch[i], size)));
    }
    this.scanned = true;
    const scan: WorkspaceScan = { files: 0, bytes: 0, oversized: [], nestedRepositories };
    for (const [file, size] of this.sizes) {
      if (size > limits.maxFileBytes) scan.oversized.push(file);
      else {
        scan.files++;
        scan.bytes += size;
      }
    }
    return scan;
  }

  /** Forgets files git no longer keeps (ignored or in a repository of their own since), so they count no more. */
  forget(files: readonly string[]): void {
    for (const file of files) this.sizes.delete(file);
  }
}

/** Whether a path is one of `folders` or below one. */
export function insideAny(folders: readonly string[]): (file: string) => boolean {
  const set = new Set(folders);
  return (file) => {
    for (let at = file.length; at > 0; at = file.lastIndexOf('/', at - 1)) if (set.has(file.slice(0, at))) return true;
    return false;
  };
}

/** The folders of `files` (and their parents) that hold a `.git`, as paths relative to `workTree`. */
async function foldersHoldingGit(workTree: string, files: Iterable<string>): Promise<string[]> {
  const folders = new Set<string>();
  for (const file of files) for (let folder = path.posix.dirname(file); folder !== '.' && !folders.has(folder); folder = path.posix.dirname(folder)) folders.add(folder);
  const listed = [...folders];
  const found: string[] = [];
  for (let start = 0; start < listed.length; start += STAT_BATCH) {
    const batch = listed.slice(start, start + STAT_BATCH);
    const holds = await Promise.all(batch.map((folder) => fs.lstat(path.join(workTree, folder, '.git')).then(() => true, () => false)));
    holds.forEach((has, i) => has && found.push(batch[i]));
  }
  // Only the outermost: what is below a nested repository is its business.
  const outermost: string[] = [];
  for (const folder of found.sort((a, b) => a.length - b.length)) if (!insideAny(outermost)(folder)) outermost.push(folder);
  return outermost;
}
