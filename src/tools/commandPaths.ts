/**
 * Where the files a rule-allowed command names really are: a word that is a symbolic link (or goes
 * through one) out of the workspace folder, or into a place that may hold secrets (`cfg -> .git`),
 * makes the command ask, as its own folder does when that is such a place.
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { realLocation } from './confine';
import { secretReason } from './paths';

/** Why a rule may not allow a command run in `cwd` (below `root`) that names `paths`; undefined when it may. */
export async function whyPathsNeedAsking(root: string, cwd: string, paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    const location = await realLocation(root, nodePath.resolve(cwd, path), fs).catch((error: NodeJS.ErrnoException) => ({ inside: false as const, why: `it cannot be followed (${error.code ?? error.message})` }));
    if (!location.inside) return `it names ${path}, and ${location.why}`;
    const reason = secretReason(location.segments);
    if (reason) return `it names ${path}, which leads to ${location.segments.join('/')}, ${reason}, which may hold secrets`;
  }
  return undefined;
}
