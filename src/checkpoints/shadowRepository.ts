/**
 * The shadow repository of one workspace folder: a git repository in the extension's storage whose
 * work tree is the folder, with its own index, so a checkpoint is `git add -A` (which rehashes only
 * the files whose stat changed), `write-tree` and `commit-tree`, kept on a private ref per
 * conversation. The user's `.git` (its index, refs, stash, config and hooks) is never read or written,
 * except `.git/info/exclude`, read as an ignore file. Calls run one at a time. Node only, no `vscode`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { applyChanges } from './applyChanges';
import { checkpointRef, conversationRefs, refPrefix } from './checkpointRefs';
import { GitError, GitMissingError, nulRecords, runGit, type GitPlace } from './gitProcess';
import { treeChanges, type FileChange } from './treeChanges';
import { insideAny, userExcludes, WorkspaceSizes, type ScanLimits } from './workspaceScan';

export interface ShadowOptions extends ScanLimits {
  /** The shadow repository's folder, in the extension's storage. */
  gitDir: string;
  /** The workspace folder. */
  workTree: string;
  /** PATH to find git on (tests take git away with it); the process's own by default. */
  searchPath?: string;
}

/** Why there is no snapshot: the caller keeps the edit tools' own checkpoints only, and says why. */
export interface Unavailable {
  kind: 'unavailable';
  reason: 'no-git' | 'too-large' | 'failed' | 'folder-not-open';
  message: string;
}

export interface Snapshot {
  kind: 'taken';
  /** The checkpoint's commit. */
  commit: string;
  /** What the snapshot left out, in words for the user (large files, nested repositories). */
  notes: string[];
  /** The paths it left out: files, and the folders of nested repositories. */
  leftOut: string[];
}

export interface Restored {
  kind: 'restored';
  /** The checkpoint of the files as they were just before: restoring it undoes the restore. */
  before: string;
  /** What the restore changed, going from `before` to the checkpoint. */
  changes: FileChange[];
}

/** Text of the shadow repository's `info/attributes`, which outrank the workspace's `.gitattributes`: no
 *  line-ending conversion, filter or encoding ever touches the bytes, so a restore is byte-identical. */
const RAW_BYTES = '* -text -eol -filter -ident -working-tree-encoding\n';

const MB = 1024 * 1024;

/** Starts the line of a checkpoint's message that lists, as JSON, the paths it left out. */
const LEFT_OUT = 'Left out: ';

/** The private index brought up to the folder. */
interface Added {
  notes: string[];
  /** What it leaves out (nested repositories, files over the limit): no restore touches these. */
  leftOut: string[];
}

export class ShadowRepository {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sizes = new WorkspaceSizes();

  /** The workspace folder it snapshots. */
  get workTree(): string {
    return this.place.workTree;
  }

  private constructor(
    private readonly place: GitPlace,
    private options: ShadowOptions,
  ) {}

  /** The limits are settings: the next snapshot applies the new ones. */
  setLimits(limits: ScanLimits): void {
    this.options = { ...this.options, ...limits };
  }

  /** Opens the folder's shadow repository, creating it on first use. */
  static async open(options: ShadowOptions): Promise<ShadowRepository | Unavailable> {
    const place: GitPlace = { gitDir: options.gitDir, workTree: options.workTree, indexFile: path.join(options.gitDir, 'index'), searchPath: options.searchPath };
    try {
      await fs.mkdir(options.gitDir, { recursive: true });
      const exists = await fs.stat(path.join(options.gitDir, 'HEAD')).then(
        () => true,
        () => false,
      );
      if (!exists) {
        // No template: no sample hooks, nothing but what git needs.
        await runGit(place, ['init', '--quiet', '--template=']);
      }
      await fs.mkdir(path.join(options.gitDir, 'info'), { recursive: true });
      await fs.writeFile(path.join(options.gitDir, 'info', 'attributes'), RAW_BYTES);
      return new ShadowRepository(place, options);
    } catch (error) {
      return unavailable(error);
    }
  }

  /** Snapshots the folder as a checkpoint of `conversationId`. */
  snapshot(conversationId: string, label: string): Promise<Snapshot | Unavailable> {
    return this.serial(() => this.takeSnapshot(conversationId, label));
  }

  /** What restoring `commit` would change now, from the folder as it is to the checkpoint. */
  pendingRestore(commit: string): Promise<FileChange[] | Unavailable> {
    return this.serial(async () => {
      const scanned = await this.addAll();
      if ('kind' in scanned) return scanned;
      const { stdout } = await runGit(this.place, ['write-tree']);
      return outside([...scanned.leftOut, ...(await this.leftOutOf(commit))], await treeChanges(this.place, stdout.toString().trim(), commit));
    });
  }

  /** The files that differ between two checkpoints. */
  changesBetween(from: string, to: string): Promise<FileChange[] | Unavailable> {
    return this.serial(() => treeChanges(this.place, from, to));
  }

  /** A file's bytes in a checkpoint; undefined when the checkpoint has no such file. */
  fileAt(commit: string, file: string): Promise<Buffer | undefined | Unavailable> {
    return this.serial(async () => {
      // `--` and a literal path: a name that starts with `-` or holds `*` is still just a name.
      const { stdout } = await runGit(this.place, ['--literal-pathspecs', 'ls-tree', '-z', '--object-only', commit, '--', file]);
      const blob = stdout.toString().replace(/\0$/, '');
      return blob ? (await runGit(this.place, ['cat-file', 'blob', blob])).stdout : undefined;
    });
  }

  /** Puts every file back as it was at `commit`, after snapshotting the folder as it is (to undo it). */
  restore(conversationId: string, commit: string): Promise<Restored | Unavailable> {
    return this.serial(async () => {
      const before = await this.takeSnapshot(conversationId, `before restoring ${commit}`);
      if (before.kind !== 'taken') return before;
      const changes = outside([...before.leftOut, ...(await this.leftOutOf(commit))], await treeChanges(this.place, before.commit, commit));
      await applyChanges(this.place, commit, changes);
      return { kind: 'restored', before: before.commit, changes } satisfies Restored;
    });
  }

  /** Keeps these checkpoints (taken for another conversation) as `conversationId`'s too: refs of its own. */
  keepFor(conversationId: string, commits: ReadonlyArray<{ commit: string; createdAt: number }>): Promise<void | Unavailable> {
    return this.serial(async () => {
      if (commits.length === 0) return;
      await runGit(this.place, ['update-ref', '--stdin'], { input: commits.map(({ commit, createdAt }) => `update ${checkpointRef(conversationId, createdAt, commit)} ${commit}\n`).join('') });
    });
  }

  /** Forgets every checkpoint of a conversation, and the files only they kept. */
  deleteConversation(conversationId: string): Promise<void | Unavailable> {
    return this.serial(async () => {
      const refs = await conversationRefs(this.place, refPrefix(conversationId));
      await this.deleteRefs(refs.map((ref) => ref.name));
    });
  }

  /** Keeps the newest `keepPerConversation` checkpoints of each conversation, none older than `maxAgeMs`. */
  prune(keepPerConversation: number, maxAgeMs: number, now = Date.now()): Promise<void | Unavailable> {
    return this.serial(async () => {
      const byConversation = new Map<string, Array<{ name: string; createdAt: number }>>();
      for (const ref of await conversationRefs(this.place, refPrefix())) {
        const list = byConversation.get(ref.conversation) ?? [];
        list.push(ref);
        byConversation.set(ref.conversation, list);
      }
      const dropped: string[] = [];
      for (const list of byConversation.values()) {
        list.sort((a, b) => b.createdAt - a.createdAt);
        list.forEach((ref, i) => {
          if (i >= keepPerConversation || now - ref.createdAt > maxAgeMs) dropped.push(ref.name);
        });
      }
      await this.deleteRefs(dropped);
    });
  }

  /** Resolves once every call made so far has ended (upkeep included). */
  async idle(): Promise<void> {
    await this.queue.catch(() => {});
  }

  private async takeSnapshot(conversationId: string, label: string): Promise<Snapshot | Unavailable> {
    const scanned = await this.addAll();
    if ('kind' in scanned) return scanned;
    const tree = (await runGit(this.place, ['write-tree'])).stdout.toString().trim();
    // What it left out goes into the message, so a restore to it leaves those paths alone as well.
    const message = scanned.leftOut.length ? ['-m', label, '-m', `${LEFT_OUT}${JSON.stringify(scanned.leftOut)}`] : ['-m', label];
    const commit = (await runGit(this.place, ['commit-tree', tree, ...message])).stdout.toString().trim();
    await runGit(this.place, ['update-ref', checkpointRef(conversationId, Date.now(), commit), commit]);
    // Packs loose objects once there are many; after the snapshot, so its caller does not wait for it.
    void this.serial(() => runGit(this.place, ['gc', '--auto', '--quiet']));
    return { kind: 'taken', commit, notes: scanned.notes, leftOut: scanned.leftOut };
  }

  /** Brings the private index up to the folder, within the limits; says what it left out. */
  private async addAll(): Promise<Added | Unavailable> {
    const excludes = await userExcludes(this.place.workTree);
    await this.dropIgnored(excludes);
    const scan = await this.sizes.scan(this.place, excludes, this.options);
    if (scan.bytes > this.options.maxWorkspaceBytes) {
      return {
        kind: 'unavailable',
        reason: 'too-large',
        message: `${path.basename(this.place.workTree)} holds ${(scan.bytes / MB).toFixed(0)} MB outside its ignore files, over the ${(this.options.maxWorkspaceBytes / MB).toFixed(0)} MB of sonnet.checkpoints.maxWorkspaceMB, so checkpoints cover only the edit tools’ own changes.`,
      };
    }
    const leftOut = [...scan.nestedRepositories, ...scan.oversized];
    await this.dropLeftOut(leftOut);
    const pathspecs = ['.', ...leftOut.map((file) => `:(exclude,literal)${file}`)];
    await runGit(this.place, [...excludes, 'add', '--all', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: pathspecs.join('\0') + '\0' });
    const notes: string[] = [];
    if (scan.oversized.length) notes.push(`Not in the checkpoint (over ${(this.options.maxFileBytes / MB).toFixed(0)} MB each, left alone by a restore): ${scan.oversized.join(', ')}.`);
    if (scan.nestedRepositories.length) notes.push(`Not in the checkpoint (repositories of their own, left alone by a restore): ${scan.nestedRepositories.join(', ')}.`);
    return { notes, leftOut };
  }

  /** The paths a checkpoint left out, from its message (none for one that left nothing out). */
  private async leftOutOf(commit: string): Promise<string[]> {
    const { stdout } = await runGit(this.place, ['cat-file', 'commit', commit]);
    const line = stdout.toString('utf8').split('\n').find((text) => text.startsWith(LEFT_OUT));
    const paths: unknown = line ? JSON.parse(line.slice(LEFT_OUT.length)) : [];
    return Array.isArray(paths) ? paths.filter((entry): entry is string => typeof entry === 'string') : [];
  }

  /** Takes out of the private index what this snapshot leaves out, which an earlier one may have kept:
   *  else the snapshot would hold its old version, and a restore would write that over the file. */
  private async dropLeftOut(leftOut: readonly string[]): Promise<void> {
    if (leftOut.length === 0) return;
    // `--force`: the entry differs from the file (it grew, or is another repository's now); only the index changes.
    await runGit(this.place, ['--literal-pathspecs', 'rm', '--cached', '-r', '--force', '--quiet', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: leftOut.join('\0') + '\0' });
  }

  /** Takes out of the private index what the ignore files ignore now (git keeps tracked files otherwise). */
  private async dropIgnored(excludes: readonly string[]): Promise<void> {
    const ignored = nulRecords((await runGit(this.place, [...excludes, 'ls-files', '-z', '--cached', '--ignored', '--exclude-standard'])).stdout);
    if (ignored.length === 0) return;
    await runGit(this.place, ['--literal-pathspecs', 'rm', '--cached', '--quiet', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: ignored.join('\0') + '\0' });
    this.sizes.forget(ignored);
  }

  private async deleteRefs(refs: readonly string[]): Promise<void> {
    if (refs.length === 0) return;
    await runGit(this.place, ['update-ref', '--stdin'], { input: refs.map((ref) => `delete ${ref}\n`).join('') });
    // Drops at once what only those checkpoints kept: a deleted conversation leaves nothing on disk.
    await runGit(this.place, ['gc', '--prune=now', '--quiet']);
  }

  /** Runs `work` after every earlier call; a git failure becomes an `Unavailable`, never a throw. */
  private serial<T>(work: () => Promise<T>): Promise<T | Unavailable> {
    const run = this.queue.then(work, work).catch(unavailable);
    this.queue = run;
    return run;
  }
}

/** The changes that touch none of the paths a snapshot left out: a restore leaves those alone. */
function outside(leftOut: readonly string[], changes: FileChange[]): FileChange[] {
  const isLeftOut = insideAny(leftOut);
  return changes.filter((change) => !isLeftOut(change.path));
}

export function isUnavailable(value: unknown): value is Unavailable {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'unavailable';
}

function unavailable(error: unknown): Unavailable {
  if (error instanceof GitMissingError) return { kind: 'unavailable', reason: 'no-git', message: error.message };
  const message = error instanceof GitError || error instanceof Error ? error.message : String(error);
  return { kind: 'unavailable', reason: 'failed', message: `The checkpoint could not be taken: ${message}` };
}

