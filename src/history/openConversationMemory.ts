/**
 * Which conversation a workspace's window shows, so that it shows it again after a reload or a
 * restart. Pure: no `vscode` import, so it is tested in plain Node.
 */
import { writeAtomically, type HistoryFiles } from './historyStore';

export interface OpenConversationMemory {
  /** The conversation remembered, if any; unreadable memory reads as none. */
  recall(): Promise<string | undefined>;
  /** Remembers `id`; resolves once it is kept (a failure only means nothing is reopened). */
  remember(id: string): Promise<void>;
}

/** The part of `vscode.Memento` used here. */
export interface KeyValueState {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

const FILE = 'open-conversation.json';
const KEY = 'sonnet.openConversation';

/**
 * Kept in a file of the workspace's storage folder. Not in `workspaceState`: browser-based VS Code
 * (code-server, Codespaces in a browser) writes that to disk lazily, and a window reloaded seconds
 * after a change comes back without it (seen in the end-to-end tests: a key set 4 s before a reload
 * was gone after it). A file the extension host writes itself is on disk at once. `file` keeps another
 * string of the window the same way (the message queued when it closed).
 */
export function fileMemory(files: HistoryFiles, file = FILE): OpenConversationMemory {
  return serialized({
    async read() {
      try {
        const id = (JSON.parse((await files.read(file)) ?? 'null') as { id?: unknown } | null)?.id;
        return typeof id === 'string' ? id : undefined;
      } catch {
        // A file that is not ours: nothing to reopen.
        return undefined;
      }
    },
    // Replaced whole: a reload right after a change is when it is read.
    write: (id) => writeAtomically(files, file, JSON.stringify({ id })),
  });
}

/** For a window without a folder, which has no storage folder of its own. */
export function stateMemory(state: KeyValueState, key = KEY): OpenConversationMemory {
  return serialized({
    read: async () => {
      const id = state.get(key);
      return typeof id === 'string' ? id : undefined;
    },
    write: async (id) => state.update(key, id),
  });
}

/**
 * Writes one at a time, in order, and only when the id changes (it is remembered as every turn
 * starts); a write that failed is tried again with the next. A recall waits for the writes before it.
 */
function serialized(storage: { read(): Promise<string | undefined>; write(id: string): Promise<void> }): OpenConversationMemory {
  let last: string | undefined;
  let writes = Promise.resolve();
  return {
    recall: () => writes.then(() => storage.read()),
    remember(id) {
      if (id !== last) {
        last = id;
        writes = writes
          .then(() => storage.write(id))
          .catch(() => {
            if (last === id) last = undefined;
          });
      }
      return writes;
    },
  };
}
