/**
 * Checkpoints (issue 14): the shadow repository on a generated workspace of 10,000 files / 200 MB,
 * against the budgets: the first snapshot under 10 s, each later one (a few files touched)
 * under 1 s, the shadow repository under 1.2x the workspace's tracked content after 50 checkpoints, and
 * a restore byte-identical (every file hashed). Beside each time, what the machine takes to read every
 * file once (the first snapshot) or to stat every file (a later one), measured in the same run.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShadowRepository, type Unavailable } from '../../src/checkpoints/shadowRepository';
import type { BenchContext, Figure } from '../lib/figure';
import { formatBytes, formatMs, formatRatio, verdict } from '../lib/report';
import { median } from '../lib/stats';

const BUDGET = { firstMs: 10_000, laterMs: 1_000, sizeRatio: 1.2 };

interface Shape {
  files: number;
  bytes: number;
  checkpoints: number;
}

/** A deterministic pseudo-random stream (xorshift32), so every run generates the same workspace. */
function randomBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed | 1;
  for (let i = 0; i + 4 <= length; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes.writeInt32LE(state | 0, i);
  }
  return bytes;
}

const WORDS = ['const', 'value', 'return', 'compute', 'export', 'function', 'items', 'index', 'result', 'await', 'string', 'number'];

/** Source-like text: lines of words chosen by the stream, so files differ but compress as code does. */
function sourceText(seed: number, length: number): string {
  const choices = randomBytes(seed, Math.ceil(length / 6) + 8);
  let text = '';
  for (let i = 0; text.length < length; i++) text += WORDS[choices[i % choices.length] % WORDS.length] + (i % 12 === 11 ? `_${seed}_${i};\n` : ' ');
  return text.slice(0, length);
}

/** Nine text files in ten, one binary; folders of 100; an ignored build tree beside (not counted). */
function generateWorkspace(root: string, shape: Shape): string[] {
  const textBytes = Math.floor((shape.bytes * 0.4) / (shape.files * 0.9));
  const binaryBytes = Math.floor((shape.bytes * 0.6) / (shape.files * 0.1));
  const files: string[] = [];
  for (let i = 0; i < shape.files; i++) {
    const folder = path.join(root, 'src', `module${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(folder, { recursive: true });
    const binary = i % 10 === 9;
    const file = path.join(folder, binary ? `asset${i}.bin` : `file${i}.ts`);
    fs.writeFileSync(file, binary ? randomBytes(i + 1, binaryBytes) : sourceText(i + 1, textBytes));
    files.push(file);
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
  fs.mkdirSync(path.join(root, 'build'));
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(root, 'build', `out${i}.js`), randomBytes(1000 + i, 100_000));
  return files;
}

/** Every file below `root` but `.git` and the ignored build tree, by content hash. */
function hashAll(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, file);
    if (!relative.startsWith('build')) hashes.set(relative, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  }
  return hashes;
}

/** Bytes the folder takes on disk (allocated blocks, as `du` counts them). */
function diskUsage(folder: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += fs.lstatSync(path.join(entry.parentPath, entry.name)).blocks * 512;
  }
  return bytes;
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

function commitOf(result: { kind: 'taken'; commit: string } | Unavailable): string {
  if (result.kind !== 'taken') throw new Error(`no checkpoint: ${result.message}`);
  return result.commit;
}

export const checkpoints: Figure = {
  name: 'checkpoints',
  async run(context: BenchContext) {
    const shape: Shape = context.smoke ? { files: 200, bytes: 2 * 1024 * 1024, checkpoints: 5 } : { files: 10_000, bytes: 200 * 1024 * 1024, checkpoints: 50 };
    const root = path.join(context.scratch, 'checkpoint-workspace');
    const gitDir = path.join(context.scratch, 'checkpoint-storage', 'shadow');
    const files = generateWorkspace(root, shape);
    const tracked = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
    context.log(`checkpoints: ${files.length} files, ${formatBytes(tracked)}, ${shape.checkpoints} checkpoints`);

    const readAll = await timed(() => files.forEach((file) => fs.readFileSync(file)));
    const opened = await ShadowRepository.open({ gitDir, workTree: root, maxWorkspaceBytes: 1024 * 1024 * 1024, maxFileBytes: 50 * 1024 * 1024 });
    if (!(opened instanceof ShadowRepository)) throw new Error(`no shadow repository: ${opened.message}`);
    const repository = opened;
    const first = await timed(() => repository.snapshot('bench', 'checkpoint 1'));
    const firstCommit = commitOf(first.result);
    const atFirst = hashAll(root);
    const upkeep = [(await timed(() => repository.idle())).ms];

    const later: number[] = [];
    const statAll: number[] = [];
    for (let n = 2; n <= shape.checkpoints; n++) {
      // A turn's worth of change: three files edited, one created.
      for (let k = 0; k < 3; k++) fs.appendFileSync(files[(n * 37 + k * 1009) % files.length], `// turn ${n}\n`);
      fs.writeFileSync(path.join(root, 'src', `created${n}.ts`), sourceText(n, 2000));
      statAll.push((await timed(() => files.forEach((file) => fs.lstatSync(file)))).ms);
      const snapshot = await timed(() => repository.snapshot('bench', `checkpoint ${n}`));
      commitOf(snapshot.result);
      later.push(snapshot.ms);
      // The upkeep after a snapshot (gc --auto) runs while the user reads; it is not the snapshot's time.
      upkeep.push((await timed(() => repository.idle())).ms);
    }
    const shadowBytes = diskUsage(gitDir);

    const restore = await timed(() => repository.restore('bench', firstCommit));
    if (restore.result.kind !== 'restored') throw new Error(`restore failed: ${restore.result.message}`);
    const afterRestore = hashAll(root);
    const differing = [...new Set([...atFirst.keys(), ...afterRestore.keys()])].filter((file) => atFirst.get(file) !== afterRestore.get(file));
    await repository.idle();

    const laterMedian = median(later);
    const laterMax = Math.max(...later);
    const sizeRatio = shadowBytes / tracked;
    const count = files.length.toLocaleString('en');
    return {
      name: this.name,
      rows: [
        {
          figure: `first checkpoint, ${count} files / ${formatBytes(tracked)} (wall)`,
          ours: formatMs(first.ms),
          reference: `reading every file ${formatMs(readAll.ms)}`,
          ratio: formatRatio(first.ms / readAll.ms),
          goal: '< 10 s',
          pass: verdict(context.smoke, first.ms < BUDGET.firstMs),
        },
        {
          figure: `later checkpoint, 4 files changed (wall, slowest of ${later.length})`,
          ours: `${formatMs(laterMax)} (median ${formatMs(laterMedian)})`,
          reference: `stat of every file ${formatMs(median(statAll))}`,
          ratio: formatRatio(laterMedian / median(statAll)),
          goal: '< 1 s each',
          pass: verdict(context.smoke, laterMax < BUDGET.laterMs),
        },
        {
          figure: 'upkeep after a checkpoint (gc --auto, not waited for)',
          ours: `${formatMs(Math.max(...upkeep))} at most`,
          reference: `first checkpoint ${formatMs(first.ms)}`,
          ratio: formatRatio(Math.max(...upkeep) / first.ms),
          goal: 'informs',
          pass: null,
        },
        {
          figure: `shadow repository on disk after ${shape.checkpoints} checkpoints`,
          ours: formatBytes(shadowBytes),
          reference: `tracked content ${formatBytes(tracked)}`,
          ratio: formatRatio(sizeRatio),
          goal: '< 1.2x',
          pass: verdict(context.smoke, sizeRatio < BUDGET.sizeRatio),
        },
        {
          figure: `restore to checkpoint 1 (every file hashed)`,
          ours: differing.length === 0 ? `identical, ${formatMs(restore.ms)}` : `${differing.length} files differ`,
          reference: `${atFirst.size.toLocaleString('en')} files`,
          ratio: '—',
          goal: 'byte-identical',
          pass: differing.length === 0,
        },
      ],
      details: { shape, trackedBytes: tracked, shadowBytes, firstMs: first.ms, readAllMs: readAll.ms, laterMs: later, upkeepMs: upkeep, statAllMs: statAll, restoreMs: restore.ms, restoredChanges: restore.result.changes.length, differing: differing.slice(0, 20) },
    };
  },
};
