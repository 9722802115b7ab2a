/**
 * `npm run bench`: every figure of issue 6, each as a ratio against a reference measured in the same
 * run, printed as a table and written as JSON to bench-results/. See BENCHMARKS.md.
 *
 *   npm run bench                      everything (a few minutes)
 *   npm run bench -- --smoke           tiny inputs, a few seconds: proves the bench still runs
 *   npm run bench -- --only decode,package
 *   npm run bench -- --only bigAnswers     one figure (names: see FIGURES)
 *   npm run bench -- --out DIR         write the JSON elsewhere
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { activation } from './figures/activation';
import { bigAnswers, hugeAnswers } from './figures/bigAnswers';
import { checkpoints } from './figures/checkpoints';
import { command } from './figures/command';
import { compaction } from './figures/compaction';
import { firstToken } from './figures/firstToken';
import { lmProvider } from './figures/lmProvider';
import { memory } from './figures/memory';
import { packageSize } from './figures/packageSize';
import { search } from './figures/search';
import { streamDecode } from './figures/streamDecode';
import { webviewRender } from './figures/webviewRender';
import type { BenchContext, Figure } from './lib/figure';
import { table, writeReport, type BenchReport, type FigureResult } from './lib/report';
import { startBenchMock } from './mock/spawn';

const FIGURES: Figure[] = [streamDecode, firstToken, webviewRender, bigAnswers, hugeAnswers, memory, activation, packageSize, search, checkpoints, command, lmProvider, compaction];

interface Options {
  smoke: boolean;
  only: string[] | undefined;
  out: string;
}

function parseArguments(argv: string[], root: string): Options {
  const options: Options = { smoke: false, only: undefined, out: path.join(root, 'bench-results') };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--smoke') options.smoke = true;
    else if (argument === '--only') options.only = argv[++i]?.split(',');
    else if (argument === '--out') options.out = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argument}; see bench/run.ts`);
  }
  const unknown = options.only?.filter((name) => !FIGURES.some((figure) => figure.name === name));
  if (unknown?.length) throw new Error(`no figure named ${unknown.join(', ')}; there are ${FIGURES.map((f) => f.name).join(', ')}`);
  return options;
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const options = parseArguments(process.argv.slice(2), root);
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sonnet-bench-'));
  const mock = await startBenchMock(options.smoke);
  const context: BenchContext = { smoke: options.smoke, root, scratch, mock, log: (message) => console.error(`[bench] ${message}`) };
  const results: FigureResult[] = [];
  let crashed = false;
  try {
    for (const figure of FIGURES.filter((f) => !options.only || options.only.includes(f.name))) {
      const figureStarted = Date.now();
      try {
        results.push(await figure.run(context));
      } catch (error) {
        crashed = true;
        console.error(`[bench] ${figure.name} failed:`, error);
        const message = error instanceof Error ? error.message : String(error);
        results.push({
          name: figure.name,
          rows: [{ figure: figure.name, ours: 'error', reference: '—', ratio: '—', goal: message.split('\n')[0].slice(0, 80), pass: false }],
          details: { error: error instanceof Error ? (error.stack ?? message) : message },
        });
      }
      context.log(`${figure.name} took ${((Date.now() - figureStarted) / 1000).toFixed(1)} s`);
    }
  } finally {
    await mock.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    smoke: options.smoke,
    durationMs: Date.now() - started,
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', loadAverage: os.loadavg() },
    figures: results,
  };
  console.log(table(results));
  const file = writeReport(report, options.out);
  console.log(`\n${options.smoke ? 'Smoke run (tiny inputs, nothing judged)' : 'Run'} took ${(report.durationMs / 1000).toFixed(0)} s; JSON: ${path.relative(process.cwd(), file)}`);
  const missed = results.flatMap((figure) => figure.rows).filter((row) => row.pass === false);
  return crashed || missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
