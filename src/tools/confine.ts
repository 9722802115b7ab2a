import * as nodePath from 'node:path';

/** The file-system calls the check needs: `fs.promises`, or a stand-in. */
export interface FsProbe {
  /** Rejects with code `ENOENT` for a path that does not exist or is a link to nothing. */
  realpath(fsPath: string): Promise<string>;
  lstat(fsPath: string): Promise<unknown>;
}

/**
 * Why `target` is not really inside `root` once symlinks are followed, or undefined when it is. A path
 * that does not exist yet (a file to create) is judged by its nearest existing ancestor: the part that
 * does not exist cannot be a link. A link to nothing is refused, since writing through it would create
 * its target wherever it points.
 */
export async function symlinkEscape(root: string, target: string, fs: FsProbe, path = nodePath): Promise<string | undefined> {
  const realRoot = await fs.realpath(root);
  let existing = target;
  let real: string | undefined;
  while (real === undefined) {
    try {
      real = await fs.realpath(existing);
    } catch (error) {
      const parent = path.dirname(existing);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === existing) throw error;
      if (await fs.lstat(existing).then(() => true, () => false)) return 'it is a symbolic link to something that does not exist';
      existing = parent;
    }
  }
  return isInside(realRoot, real, path) ? undefined : 'it leads out of the workspace folder through a symbolic link';
}

export function isInside(root: string, target: string, path = nodePath): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}
