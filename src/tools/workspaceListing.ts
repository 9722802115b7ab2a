/**
 * Every file of the local workspace folders as ripgrep lists them for `find_files` (ignore files and
 * excludes applied, `.git` never entered), for the @ picker. Node only: the editor side supplies the
 * folders and their settings.
 */
import { withDeadline } from './deadline';
import { listFilesArgs, relativePath } from './ripgrep';
import { runRipgrep } from './ripgrepProcess';
import type { SearchRun } from './workspaceSearch';

export interface WorkspaceListing {
  /** As results name them: relative, with the folder's name first in a multi-root workspace. */
  files: string[];
  /** More files than `limit`, or the listing stopped at its deadline: `files` is not all of them. */
  incomplete: boolean;
}

export function listWorkspaceFiles(run: SearchRun, limit: number): Promise<WorkspaceListing> {
  return withDeadline(run.signal, run.timeoutMs ?? 10_000, async (deadline) => {
    const files: string[] = [];
    let incomplete = false;
    for (const folder of run.folders) {
      if (files.length >= limit) break;
      const stop = await runRipgrep({
        rgPath: run.rgPath,
        cwd: folder.path,
        deadline,
        args: listFilesArgs(folder.scope),
        separator: '\0',
        onRecord: (record) => {
          files.push(folder.prefix + relativePath(record));
          return files.length < limit;
        },
      });
      if (stop) incomplete = true;
    }
    files.sort();
    return { files, incomplete };
  });
}
