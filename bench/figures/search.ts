/**
 * Workspace search: one generated workspace (20,000 files), `find_files` and `search_text` as they
 * run now (ripgrep, `src/tools/workspaceSearch.ts`) beside the baseline they replaced
 * (`searchBaseline.ts`), with the host's event loop watched while each search runs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { rgPath } from '@vscode/ripgrep-universal';
import { findFilesWithRipgrep, searchTextWithRipgrep, type SearchRun } from '../../src/tools/workspaceSearch';
import type { BenchContext, Figure } from '../lib/figure';
import { formatMs, formatRatio, verdict } from '../lib/report';
import { interleave, medianOf, pairedRatio } from '../lib/stats';
import { baselineFindFiles, baselineSearchText } from './searchBaseline';

const EXCLUDED = ['node_modules', '.git'];
const QUERY = 'needle_7f3a';
/** Nested repetition: JavaScript's backtracking takes time exponential in the run of a's before the b. */
const HOSTILE = '(a+)+$';

/** `files` source files in folders of 100, a match in one file of 50, plus ignored and excluded trees. */
function generateWorkspace(root: string, files: number, hostileRun: number): void {
  // First in path order, so the baseline (which stops at 5,000 files) reaches it.
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs', 'separator.txt'), `${'a'.repeat(hostileRun)}b\n`);
  const body = Array.from({ length: 60 }, (_, i) => `export const value${i} = compute(${i}, 'some text to search through');`).join('\n');
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, 'src', `module${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `file${i}.ts`), i % 50 === 0 ? `${body}\n// ${QUERY} here\n` : `${body}\n`);
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  for (const ignored of ['dist', 'node_modules/lib']) {
    fs.mkdirSync(path.join(root, ignored), { recursive: true });
    for (let i = 0; i < files / 20; i++) fs.writeFileSync(path.join(root, ignored, `out${i}.ts`), `// ${QUERY}\n`);
  }
}

/** Runs `search`, and the longest the event loop was held meanwhile. */
async function withLoopWatch<T>(search: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await search();
    return { result, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

export const search: Figure = {
  name: 'search',
  async run(context: BenchContext) {
    const files = context.smoke ? 200 : 20_000;
    const root = path.join(context.scratch, 'search-workspace');
    // 25 a's hold JavaScript's RegExp for seconds (each a more doubles it; 30, as in the issue, for minutes).
    generateWorkspace(root, files, context.smoke ? 16 : 25);
    const run: SearchRun = {
      rgPath,
      folders: [{ path: root, prefix: '', scope: { excludes: EXCLUDED.map((name) => `**/${name}`), useIgnoreFiles: true, useParentIgnoreFiles: false, useGlobalIgnoreFiles: false } }],
      signal: new AbortController().signal,
    };
    const excluded = new Set(EXCLUDED);
    const limit = 1000;
    const expectedMatches = files / 50;
    const variants = {
      findOurs: () => findFilesWithRipgrep(run, '**/*.ts', limit),
      findBaseline: () => baselineFindFiles(root, excluded, (name) => name.endsWith('.ts'), limit),
      searchOurs: () => searchTextWithRipgrep(run, { query: QUERY }, limit),
      searchBaseline: () => baselineSearchText(root, excluded, QUERY, limit),
      hostileOurs: () => searchTextWithRipgrep(run, { query: HOSTILE, isRegex: true }, limit),
      hostileBaseline: () => baselineSearchText(root, excluded, HOSTILE, limit, true),
    };

    // Both must find the same before their times mean anything (the baseline searched 5,000 files at most).
    const ourFiles = (await variants.findOurs()).content.split('\n').filter((line) => !line.startsWith('['));
    assert.deepEqual(ourFiles, await variants.findBaseline(), 'find_files and its baseline listed different files');
    const ourSearch = await variants.searchOurs();
    assert.equal(ourSearch.summary, `${expectedMatches} matches in ${expectedMatches} files`);
    assert.equal((await variants.searchBaseline()).length, Math.min(expectedMatches, 5_000 / 50));
    assert.equal((await variants.hostileOurs()).summary, 'No matches');

    const rounds = context.smoke ? { rounds: 1, warmup: 0 } : { rounds: 5, warmup: 1 };
    context.log(`search: ${files} files, ${rounds.rounds} rounds`);
    const samples = await interleave(variants, rounds);
    const loop = {
      find: (await withLoopWatch(variants.findOurs)).maxDelayMs,
      search: (await withLoopWatch(variants.searchOurs)).maxDelayMs,
      hostile: (await withLoopWatch(variants.hostileOurs)).maxDelayMs,
      hostileBaseline: (await withLoopWatch(variants.hostileBaseline)).maxDelayMs,
    };
    const ours = Math.max(loop.find, loop.search, loop.hostile);
    const wall = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, medianOf(list, 'wallMs')])) as Record<keyof typeof variants, number>;
    const findSpeedup = pairedRatio(samples.findBaseline, samples.findOurs, 'wallMs');
    const searchSpeedup = pairedRatio(samples.searchBaseline, samples.searchOurs, 'wallMs');
    const hostileSpeedup = pairedRatio(samples.hostileBaseline, samples.hostileOurs, 'wallMs');
    const count = files.toLocaleString('en');
    const capped = files > 5_000 ? ' (5,000 files)' : '';
    return {
      name: this.name,
      rows: [
        {
          figure: `find_files **/*.ts, ${count} files (wall)`,
          ours: formatMs(wall.findOurs),
          reference: `before ${formatMs(wall.findBaseline)}`,
          ratio: `${formatRatio(findSpeedup)} faster`,
          goal: '≥ 10x faster',
          pass: verdict(context.smoke, findSpeedup >= 10),
        },
        {
          figure: `search_text, ${count} files (wall)`,
          ours: formatMs(wall.searchOurs),
          reference: `before ${formatMs(wall.searchBaseline)}${capped}`,
          ratio: `${formatRatio(searchSpeedup)} faster`,
          goal: '≥ 10x faster',
          pass: verdict(context.smoke, searchSpeedup >= 10),
        },
        {
          figure: `search_text ${HOSTILE}, ${count} files (wall)`,
          ours: formatMs(wall.hostileOurs),
          reference: `before ${formatMs(wall.hostileBaseline)}${capped}`,
          ratio: `${formatRatio(hostileSpeedup)} faster`,
          goal: '≥ 10x faster',
          pass: verdict(context.smoke, hostileSpeedup >= 10),
        },
        {
          figure: 'host event loop held during a search',
          ours: `${formatMs(ours)} at most`,
          reference: `before ${formatMs(loop.hostileBaseline)} (${HOSTILE})`,
          ratio: '—',
          goal: '≤ 50 ms',
          pass: verdict(context.smoke, ours <= 50),
        },
      ],
      details: { files, matches: expectedMatches, rounds, medianWallMs: wall, medianCpuMs: Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, medianOf(list, 'cpuMs')])), maxLoopDelayMs: loop, samples },
    };
  },
};
