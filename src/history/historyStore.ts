import { randomUUID } from 'node:crypto';
import type { Conversation } from '../chat/conversation';
import { isHistoryId, parseSavedConversation, shortenTitle, summaryOf, toSavedConversation } from '../chat/conversationJson';
import { imageFilesIn, restoreImages } from '../chat/savedImages';
import type { ConversationSummary } from '../shared/protocol';

/**
 * The few file operations the history needs, on names inside its own folder. Injected, so the store
 * runs in plain Node tests against a fake that fails or stalls on demand.
 */
export interface HistoryFiles {
  /** The file's text; undefined when there is no such file. */
  read(name: string): Promise<string | undefined>;
  write(name: string, text: string): Promise<void>;
  /** Replaces `to` if it exists, in one step. */
  rename(from: string, to: string): Promise<void>;
  /** Nothing happens when there is no such file. */
  remove(name: string): Promise<void>;
  /** The names of the files in the folder; none when it does not exist yet. */
  list(): Promise<string[]>;
}

/**
 * The images of the saved conversations, one file each, named by its content (see `imageFileName`):
 * an image sent in several conversations, or kept in an earlier version, is stored once.
 */
export interface ImageFiles {
  read(name: string): Promise<Uint8Array | undefined>;
  has(name: string): Promise<boolean>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  remove(name: string): Promise<void>;
}

/**
 * Why a saved conversation could not be opened; `keptAs` names the file a corrupt one was moved to, and
 * `title` is its title when that much of it could still be read.
 */
export type LoadResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; problem: 'missing' | 'corrupt' | 'newer'; detail: string; keptAs?: string; title?: string };

const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;
const CONVERSATION_FILE = /^conversation-([A-Za-z0-9-]{1,64})\.json$/;

function conversationFile(id: string): string {
  return `conversation-${id}.json`;
}

/**
 * The saved conversations: one file each, and an index of their summaries so the list opens without
 * reading them all. Every write goes to a temporary file first and then replaces the old one, so a
 * failed or interrupted write leaves the previous version whole, and one conversation's file is never
 * touched by another's save. The conversation files are the truth; the index is rebuilt from them
 * when it is missing, unreadable or out of date (another window saved meanwhile).
 *
 * Operations run one at a time in the order they were called, so of two saves of one conversation
 * the later always wins.
 */
export class HistoryStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** Deleted this session: a turn still finishing in the background must not bring it back. */
  private readonly deleted = new Set<string>();

  /** Image files known to be stored, so a save does not look for them again. */
  private readonly storedImages = new Set<string>();

  constructor(
    private readonly files: HistoryFiles,
    private readonly now: () => number = Date.now,
    /** Where the conversations' images are kept; none: a conversation with images cannot be saved. */
    private readonly images?: ImageFiles,
    /**
     * The image files that unsaved things use (the composer's chips, a queued message, the open
     * conversation): deleting a conversation leaves them, as it leaves those another one refers to.
     */
    private readonly imagesInUse: () => Iterable<string> = () => [],
  ) {}

  /**
   * Saves the conversation as it is at this call; later changes wait for the next save. Nothing is
   * saved before the first prompt. Rejects if the conversation could not be written.
   */
  save(conversation: Conversation): Promise<ConversationSummary | undefined> {
    if (conversation.turns.length === 0 || this.deleted.has(conversation.id)) return Promise.resolve(undefined);
    const updatedAt = this.now();
    const summary = summaryOf(conversation, updatedAt);
    let text: string;
    const images = new Map<string, string>();
    try {
      text = JSON.stringify(toSavedConversation(conversation, updatedAt, images));
    } catch (error) {
      // Too big to write (`Invalid string length`): a failed save, reported like any other.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.serial(async () => {
      // The images first: a saved conversation never refers to a file that is not there yet.
      await this.storeImages(images);
      await writeAtomically(this.files, conversationFile(conversation.id), text);
      await this.updateIndex((index) => index.set(summary.id, summary));
      return summary;
    });
  }

  /** The saved conversations, newest first. Corrupt files are moved aside and left out. */
  list(): Promise<ConversationSummary[]> {
    return this.serial(async () => {
      const index = await this.readIndex();
      const stored = new Set<string>();
      for (const name of await this.files.list()) {
        const id = CONVERSATION_FILE.exec(name)?.[1];
        if (id) stored.add(id);
      }
      let changed = false;
      for (const id of index.keys()) {
        if (stored.has(id)) continue;
        index.delete(id);
        changed = true;
      }
      for (const id of stored) {
        if (index.has(id)) continue;
        // One file that cannot be read (its permissions, a folder of that name) must not hide the
        // others: it is left out this time and tried again on the next listing.
        const loaded = await this.loadFile(id).catch(() => undefined);
        if (loaded?.ok) {
          index.set(id, loaded.summary);
          changed = true;
        }
      }
      // The list is right even if the index cannot be written; the next listing repairs it again.
      if (changed) await this.writeIndex(index).catch(() => undefined);
      return [...index.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    });
  }

  load(id: string): Promise<LoadResult> {
    return this.serial(async () => {
      const loaded = await this.loadFile(id);
      if (!loaded.ok && loaded.problem !== 'newer') await this.updateIndex((index) => index.delete(id)).catch(() => undefined);
      if (!loaded.ok) return loaded;
      // Only a conversation opened needs its images (listing and renaming keep the references as they are).
      const images = this.images;
      await restoreImages(loaded.conversation, async (file) => {
        const bytes = await images?.read(file);
        if (bytes) this.storedImages.add(file);
        return bytes && Buffer.from(bytes).toString('base64');
      });
      return { ok: true, conversation: loaded.conversation };
    });
  }

  /** Renames a saved conversation, keeping its place in the list. */
  rename(id: string, title: string): Promise<LoadResult> {
    return this.serial(async () => {
      const loaded = await this.loadFile(id);
      if (!loaded.ok) return loaded;
      const { conversation, summary } = loaded;
      conversation.title = shortenTitle(title);
      await writeAtomically(this.files, conversationFile(id), JSON.stringify(toSavedConversation(conversation, summary.updatedAt)));
      await this.updateIndex((index) => index.set(id, summaryOf(conversation, summary.updatedAt)));
      return { ok: true, conversation };
    });
  }

  delete(id: string): Promise<void> {
    if (!isHistoryId(id)) return Promise.resolve();
    this.deleted.add(id);
    return this.serial(async () => {
      const text = await this.files.read(conversationFile(id)).catch(() => undefined);
      await this.files.remove(conversationFile(id));
      await this.updateIndex((index) => index.delete(id));
      if (text !== undefined) await this.removeImagesOnlyIn(text);
    });
  }

  /** Writes the images not stored yet (`images`: base64 by file name). */
  private async storeImages(images: Map<string, string>): Promise<void> {
    for (const [file, data] of images) {
      if (this.storedImages.has(file)) continue;
      if (!this.images) throw new Error('this history cannot keep images');
      if (!(await this.images.has(file))) await this.images.write(file, Buffer.from(data, 'base64'));
      this.storedImages.add(file);
    }
  }

  /** The images of a deleted conversation that no other saved conversation (an earlier version of it, say) nor anything unsaved refers to. */
  private async removeImagesOnlyIn(deletedText: string): Promise<void> {
    const images = this.images;
    const candidates = imageFilesIn(deletedText);
    if (!images || candidates.size === 0) return;
    for (const file of this.imagesInUse()) candidates.delete(file);
    for (const name of await this.files.list()) {
      if (!CONVERSATION_FILE.test(name)) continue;
      const text = await this.files.read(name).catch(() => undefined);
      for (const file of text === undefined ? [] : imageFilesIn(text)) candidates.delete(file);
    }
    for (const file of candidates) {
      await images.remove(file);
      this.storedImages.delete(file);
    }
  }

  /** Settles once every operation called so far has finished, whether it succeeded or not. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Runs `operation` after every operation called before it, whether they succeeded or not. */
  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async loadFile(
    id: string,
  ): Promise<{ ok: true; conversation: Conversation; summary: ConversationSummary } | Extract<LoadResult, { ok: false }>> {
    // Ids come from the view too: only a well-formed one may name a file.
    if (!isHistoryId(id)) return { ok: false, problem: 'missing', detail: 'not a conversation id' };
    const name = conversationFile(id);
    const text = await this.files.read(name);
    if (text === undefined) return { ok: false, problem: 'missing', detail: 'it is no longer saved' };
    const parsed = parseSavedConversation(text);
    if (parsed.ok && parsed.conversation.id === id) {
      return { ok: true, conversation: parsed.conversation, summary: summaryOf(parsed.conversation, parsed.updatedAt) };
    }
    if (!parsed.ok && parsed.problem === 'newer') return parsed;
    const detail = parsed.ok ? 'it names another conversation' : parsed.detail;
    // Kept, not deleted: the user (or a later version) may still recover it.
    const keptAs = `conversation-${id}.corrupt-${this.now()}.json`;
    // Read before the file is moved aside and dropped from the index, so the user is told which it was.
    const title = (await this.readIndex().catch(() => undefined))?.get(id)?.title ?? readableTitle(text);
    await this.files.rename(name, keptAs);
    return { ok: false, problem: 'corrupt', detail, keptAs, ...(title ? { title } : {}) };
  }

  /** The index's summaries by id; empty when it is missing or unreadable (it is rebuilt then). */
  private async readIndex(): Promise<Map<string, ConversationSummary>> {
    const summaries = new Map<string, ConversationSummary>();
    let value: unknown;
    try {
      value = JSON.parse((await this.files.read(INDEX_FILE)) ?? 'null');
    } catch {
      return summaries;
    }
    const index = value as { version?: unknown; conversations?: unknown } | null;
    if (index?.version !== INDEX_VERSION || !Array.isArray(index.conversations)) return summaries;
    for (const entry of index.conversations) {
      const summary = parseSummary(entry);
      if (summary) summaries.set(summary.id, summary);
    }
    return summaries;
  }

  private writeIndex(index: Map<string, ConversationSummary>): Promise<void> {
    return writeAtomically(this.files, INDEX_FILE, JSON.stringify({ version: INDEX_VERSION, conversations: [...index.values()] }));
  }

  /** Read, change, write: another window may have changed the index since this one last read it. */
  private async updateIndex(change: (index: Map<string, ConversationSummary>) => void): Promise<void> {
    const index = await this.readIndex();
    change(index);
    await this.writeIndex(index);
  }
}

/**
 * Writes a temporary file, then renames it over `name`: a failed or interrupted write leaves the
 * previous version whole.
 */
export async function writeAtomically(files: HistoryFiles, name: string, text: string): Promise<void> {
  const temporary = `${name}.${randomUUID()}.tmp`;
  try {
    await files.write(temporary, text);
    await files.rename(temporary, name);
  } catch (error) {
    await files.remove(temporary).catch(() => undefined);
    throw error;
  }
}

/** The title of a saved conversation that is otherwise unreadable, if its JSON still names one. */
function readableTitle(text: string): string | undefined {
  let saved: { title?: unknown; turns?: Array<{ prompt?: { text?: unknown } }> };
  try {
    saved = JSON.parse(text) as typeof saved;
  } catch {
    return undefined;
  }
  const title = saved?.title ?? (Array.isArray(saved?.turns) ? saved.turns[0]?.prompt?.text : undefined);
  return typeof title === 'string' ? shortenTitle(title) : undefined;
}

/** An index entry, if well formed; a bad one is dropped and its conversation's file read instead. */
function parseSummary(value: unknown): ConversationSummary | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { id, title, updatedAt, turnCount } = value as Record<string, unknown>;
  if (!isHistoryId(id) || typeof title !== 'string' || typeof updatedAt !== 'number' || typeof turnCount !== 'number') return undefined;
  if (!Number.isFinite(updatedAt) || !Number.isInteger(turnCount) || turnCount < 0) return undefined;
  return { id, title: shortenTitle(title) ?? 'Untitled', updatedAt, turnCount };
}
