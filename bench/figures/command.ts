/**
 * `run_command`'s overhead: a command run the way the tool runs it as a child process (the user's
 * shell, its own process group, output through the bounded capture and ANSI stripping, the wait for
 * exit) beside the same command run directly (`spawn` of the same shell, output joined into a
 * string). A quick command shows the fixed cost; one printing 10 MB the cost per byte, and how long
 * the host's event loop is held meanwhile. (The shell-integration way needs VS Code's terminal, so it
 * is not measured here.)
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { awaitCommand } from '../../src/tools/commandWait';
import { shellCommand, startProcess } from '../../src/tools/processRunner';
import type { BenchContext, Figure } from '../lib/figure';
import { formatMs, formatRatio, verdict } from '../lib/report';
import { interleave, medianOf, pairedRatio } from '../lib/stats';

function nodeCommand(script: string): string {
  return `"${process.execPath}" -e ${JSON.stringify(script)}`;
}

async function viaTool(command: string, cwd: string): Promise<string> {
  const running = await startProcess({ shell: shellCommand('/bin/sh', command), cwd });
  if (!running) throw new Error('the command did not start');
  const report = await awaitCommand(running, { timeoutMs: 120_000, background: false, signal: new AbortController().signal });
  return report.output;
}

function direct(command: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const shell = shellCommand('/bin/sh', command);
    const child = spawn(shell.file, shell.args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export const command: Figure = {
  name: 'command',
  async run(context: BenchContext) {
    const megabytes = context.smoke ? 1 : 10;
    const quick = nodeCommand('console.log(42)');
    // Coloured lines, as a test runner prints them.
    const loud = nodeCommand(`const line = '\\x1b[32m✓\\x1b[0m ' + 'x'.repeat(90) + '\\n'; const n = Math.ceil(${megabytes} * 1048576 / line.length); let i = 0; (function write() { while (i < n) { i++; if (!process.stdout.write(line)) return process.stdout.once('drain', write); } })();`);
    assert.equal(await viaTool(quick, context.scratch), '42\n');
    const kept = await viaTool(loud, context.scratch);
    assert.match(kept, /lines left out/);

    const rounds = context.smoke ? { rounds: 1, warmup: 0 } : { rounds: 9, warmup: 1 };
    context.log(`command: ${rounds.rounds} rounds, ${megabytes} MB of output`);
    const samples = await interleave(
      {
        quickOurs: () => viaTool(quick, context.scratch),
        quickDirect: () => direct(quick, context.scratch),
        loudOurs: () => viaTool(loud, context.scratch),
        loudDirect: () => direct(loud, context.scratch),
      },
      rounds,
    );
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    await viaTool(loud, context.scratch);
    histogram.disable();
    const held = histogram.max / 1e6;

    const wall = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, medianOf(list, 'wallMs')])) as Record<keyof typeof samples, number>;
    const quickRatio = pairedRatio(samples.quickOurs, samples.quickDirect, 'wallMs');
    const loudRatio = pairedRatio(samples.loudOurs, samples.loudDirect, 'wallMs');
    return {
      name: this.name,
      rows: [
        {
          figure: 'run_command node -e "console.log(42)" (wall)',
          ours: formatMs(wall.quickOurs),
          reference: `directly ${formatMs(wall.quickDirect)}`,
          ratio: formatRatio(quickRatio),
          goal: '≤ 1.20x',
          pass: verdict(context.smoke, quickRatio <= 1.2),
        },
        {
          figure: `run_command printing ${megabytes} MB (wall)`,
          ours: formatMs(wall.loudOurs),
          reference: `directly ${formatMs(wall.loudDirect)}`,
          ratio: formatRatio(loudRatio),
          goal: '≤ 1.50x',
          pass: verdict(context.smoke, loudRatio <= 1.5),
        },
        {
          figure: `host event loop held while ${megabytes} MB are printed`,
          ours: `${formatMs(held)} at most`,
          reference: '—',
          ratio: '—',
          goal: '≤ 50 ms',
          pass: verdict(context.smoke, held <= 50),
        },
      ],
      details: { megabytes, rounds, medianWallMs: wall, medianCpuMs: Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, medianOf(list, 'cpuMs')])), maxLoopDelayMs: held, samples },
    };
  },
};
