import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ImageFiles } from './historyStore';

/** The history's image files in `folder` on disk, which is created with the first write. */
export function nodeImageFiles(folder: string): ImageFiles {
  const at = (name: string) => path.join(folder, name);
  return {
    async read(name) {
      try {
        return await fsp.readFile(at(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    has: (name) => fsp.access(at(name)).then(() => true, () => false),
    async write(name, bytes) {
      await fsp.mkdir(folder, { recursive: true });
      // Under a temporary name first: a file of that name is always whole, whoever reads it.
      const temporary = `${at(name)}.${process.pid}.${Date.now()}.tmp`;
      await fsp.writeFile(temporary, bytes);
      await fsp.rename(temporary, at(name));
    },
    remove: (name) => fsp.rm(at(name), { force: true }),
  };
}
