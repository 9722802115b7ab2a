import * as nodePath from 'node:path';

/** The file-system calls the check needs: `fs.promises`, or a stand-in. */
export interface FsProbe {
  /** Rejects with code `ENOENT` for a path that does not exist or is a link to nothing. */
  realpath(fsPath: string): Promise<string>;
  lstat(fsPath: string): Promise<unknown>;
}

/** Where a path really is below its workspace folder, or why it may not be used. */
export type RealLocation = { inside: true; segments: string[] } | { inside: false; why: string };

/**
 * Where `target` leads once every symbolic link on the way is followed (chains included), as segments
 * below the real path of `root`. A path that does not exist yet (a file to create) is its nearest
 * existing ancestor's real path plus the rest: the part that does not exist cannot be a link. Refused:
 * a real path outside `root`, and a link to nothing, since writing through it would create its target
 * wherever it points.
 */
export async function realLocation(root: string, target: string, fs: FsProbe, path = nodePath): Promise<RealLocation> {
  const realRoot = await fs.realpath(root);
  const missing: string[] = [];
  let existing = target;
  let real: string | undefined;
  while (real === undefined) {
    try {
      real = await fs.realpath(existing);
    } catch (error) {
      const parent = path.dirname(existing);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === existing) throw error;
      if (await fs.lstat(existing).then(() => true, () => false)) return { inside: false, why: 'it is a symbolic link to something that does not exist' };
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
  if (!isInside(realRoot, real, path)) return { inside: false, why: 'it leads out of the workspace folder through a symbolic link' };
  const below = path.relative(realRoot, real).split(path.sep).filter((segment) => segment !== '');
  return { inside: true, segments: [...below, ...missing] };
}

export function isInside(root: string, target: string, path = nodePath): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}
