import fsp from 'node:fs/promises';
import path from 'node:path';
import type { HistoryFiles } from './historyStore';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** The history's files in `folder` on disk, which is created with the first write. */
export function nodeHistoryFiles(folder: string): HistoryFiles {
  const at = (name: string) => path.join(folder, name);
  return {
    async read(name) {
      try {
        return await fsp.readFile(at(name), 'utf8');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async write(name, text) {
      await fsp.mkdir(folder, { recursive: true });
      const file = await fsp.open(at(name), 'w');
      try {
        await file.writeFile(text, 'utf8');
        // On disk before the rename that makes it the saved version, so a power cut cannot leave it empty.
        await file.datasync();
      } finally {
        await file.close();
      }
    },
    rename: (from, to) => fsp.rename(at(from), at(to)),
    remove: (name) => fsp.rm(at(name), { force: true }),
    async list() {
      try {
        return await fsp.readdir(folder);
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
    },
  };
}
