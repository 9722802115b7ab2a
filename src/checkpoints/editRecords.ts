/**
 * The edit tools' own checkpoints, for files no shadow repository covers (no git, a workspace over the
 * budget, a virtual workspace): `edit_file` and `create_file` know a file's bytes just before they
 * change it, so a turn keeps, the first time it changes each file, those bytes (none for a file it
 * creates). Kept in the extension's storage, `<root>/<conversation>/<record>/`, size-capped; a record
 * belongs to the conversations whose folder holds it. Node only, no `vscode`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** One file as it was before the turn changed it. */
export interface EditRecord {
  /** The file's URI, as VS Code writes it. */
  file: string;
  /** Its bytes; undefined when the turn created it. */
  before: Buffer | undefined;
}

export interface EditRecordLimits {
  /** A file over this is not kept (a restore leaves it alone). */
  maxFileBytes: number;
  /** What one record keeps at most, all its files together. */
  maxRecordBytes: number;
}

/** `records.json`: which file each blob (`0`, `1`, …) is; `blob` absent for a created file. */
interface Manifest {
  files: Array<{ file: string; blob?: string; bytes: number }>;
}

const MANIFEST = 'records.json';
const MB = 1024 * 1024;

function hashed(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export class EditRecords {
  /** One write at a time per record: two edits of one turn never interleave their manifests. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly root: string,
    private readonly limits: () => EditRecordLimits,
  ) {}

  /**
   * Keeps `file` as it is before a change, under `record` of `conversationId`, unless the record has
   * it already (the first change of a turn is what a restore goes back to). Says why when it cannot.
   */
  keep(conversationId: string, record: string, file: string, before: Uint8Array | undefined): Promise<string | undefined> {
    const folder = this.folder(conversationId, record);
    return this.serial(folder, async () => {
      const manifest = await readManifest(folder);
      if (manifest.files.some((entry) => entry.file === file)) return undefined;
      const bytes = before?.byteLength ?? 0;
      const { maxFileBytes, maxRecordBytes } = this.limits();
      const total = manifest.files.reduce((sum, entry) => sum + entry.bytes, 0);
      if (bytes > maxFileBytes || total + bytes > maxRecordBytes) {
        const [limit, per] = bytes > maxFileBytes ? [maxFileBytes, 'file'] : [maxRecordBytes, 'turn'];
        return `${file} was not kept for a restore: over the ${limit >= MB ? `${(limit / MB).toFixed(0)} MB` : `${limit} bytes`} kept per ${per}.`;
      }
      await fs.mkdir(folder, { recursive: true });
      const blob = before === undefined ? undefined : String(manifest.files.length);
      if (blob !== undefined && before !== undefined) await fs.writeFile(path.join(folder, blob), before);
      manifest.files.push({ file, bytes, ...(blob === undefined ? {} : { blob }) });
      // Written whole, then renamed: a crash leaves the old manifest, never half of one.
      await fs.writeFile(path.join(folder, `${MANIFEST}.tmp`), JSON.stringify(manifest));
      await fs.rename(path.join(folder, `${MANIFEST}.tmp`), path.join(folder, MANIFEST));
      return undefined;
    });
  }

  /** The files `record` kept, with their bytes; none when it is gone. */
  async load(conversationId: string, record: string): Promise<EditRecord[]> {
    const folder = this.folder(conversationId, record);
    await this.queues.get(folder)?.catch(() => {});
    const manifest = await readManifest(folder);
    return Promise.all(manifest.files.map(async (entry) => ({ file: entry.file, before: entry.blob === undefined ? undefined : await fs.readFile(path.join(folder, entry.blob)) })));
  }

  /** `records` of another conversation kept as `conversationId`'s too (an earlier version's copy). */
  async keepFor(conversationId: string, records: readonly string[]): Promise<void> {
    const conversations = await fs.readdir(this.root).catch(() => [] as string[]);
    for (const record of records) {
      const target = this.folder(conversationId, record);
      if (await hasManifest(target)) continue;
      for (const source of conversations.map((name) => path.join(this.root, name, hashed(record)))) {
        if (!(await hasManifest(source))) continue;
        await fs.cp(source, target, { recursive: true });
        break;
      }
    }
  }

  /** A deleted conversation's records go with it. */
  async deleteConversation(conversationId: string): Promise<void> {
    await fs.rm(path.join(this.root, hashed(conversationId)), { recursive: true, force: true });
  }

  /** Keeps each conversation's newest `keepPerConversation` records, none older than `maxAgeMs`. */
  async prune(keepPerConversation: number, maxAgeMs: number, now = Date.now()): Promise<void> {
    for (const conversation of await fs.readdir(this.root).catch(() => [] as string[])) {
      const folder = path.join(this.root, conversation);
      const records = await Promise.all(
        (await fs.readdir(folder).catch(() => [] as string[])).map(async (name) => ({ name, changed: (await fs.stat(path.join(folder, name, MANIFEST)).catch(() => undefined))?.mtimeMs ?? 0 })),
      );
      records.sort((a, b) => b.changed - a.changed);
      for (const [i, record] of records.entries()) {
        if (i >= keepPerConversation || now - record.changed > maxAgeMs) await fs.rm(path.join(folder, record.name), { recursive: true, force: true });
      }
    }
  }

  private folder(conversationId: string, record: string): string {
    return path.join(this.root, hashed(conversationId), hashed(record));
  }

  private serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(key) ?? Promise.resolve()).then(work, work);
    this.queues.set(key, run);
    return run;
  }
}

function hasManifest(folder: string): Promise<boolean> {
  return fs.stat(path.join(folder, MANIFEST)).then(
    () => true,
    () => false,
  );
}

async function readManifest(folder: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(folder, MANIFEST), 'utf8')) as Manifest;
    return Array.isArray(parsed.files) ? parsed : { files: [] };
  } catch {
    return { files: [] };
  }
}
