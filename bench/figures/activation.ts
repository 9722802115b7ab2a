/**
 * Activation: loading dist/extension.js and running `activate()`, against an extension that does
 * nothing. Measured two ways:
 *  - in plain Node, a fresh process per sample, with a stand-in `vscode` module: precise, and it
 *    records every file-system, network and process call made at activation;
 *  - in the real extension host (code-server, both extensions installed from .vsix), timed from
 *    inside the host by a third extension (skipped in a smoke run).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import type { ProbeResult } from '../activation/probe';
import { bundles } from '../lib/bundles';
import type { BenchContext, Figure } from '../lib/figure';
import { formatDifference, formatMs, formatRatio, verdict, type Row } from '../lib/report';
import { median } from '../lib/stats';
import { activationInCodeServer } from '../activation/inCodeServer';

const GOAL_MS = 5;
const EMPTY_EXTENSION = path.join(__dirname, '..', 'activation', 'empty-extension');
const TIMER_EXTENSION = path.join(__dirname, '..', 'activation', 'timer-extension');

async function probe(probeFile: string, extensionFile: string, storage: string, state: Record<string, string> = {}): Promise<ProbeResult> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', probeFile, extensionFile, storage, JSON.stringify(state)], { timeout: 30_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as ProbeResult;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? (error as Error).message.split('\n')[0];
    throw new Error(`activating ${extensionFile} in plain Node failed: ${reason}`, { cause: error });
  }
}

/**
 * A returning user's state: every key activation read from the extension's global or workspace
 * state, now holding a value (an id-like string), so that whatever activation does with saved state
 * (restoring the last conversation, say) happens in the probe too.
 */
function returningUserState(result: ProbeResult): Record<string, string> {
  const keys = result.calls.flatMap((call) => /^(?:globalState|workspaceState)\.get (.+)$/.exec(call)?.[1] ?? []);
  return Object.fromEntries(keys.map((key) => [key, 'bench-returning-user']));
}

export const activation: Figure = {
  name: 'activation',
  async run(context: BenchContext) {
    const { smoke, scratch } = context;
    const { dist, vsix } = await bundles(context);
    const probeFile = path.join(scratch, 'activation-probe.cjs');
    await esbuild.build({ entryPoints: [path.join(__dirname, '..', 'activation', 'probe.ts')], outfile: probeFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    const storage = path.join(scratch, 'activation-storage');
    fs.mkdirSync(storage, { recursive: true });

    const samples = smoke ? 2 : 15;
    context.log(`activation: ${samples} fresh processes each, plain Node`);
    const ours: ProbeResult[] = [];
    const empty: ProbeResult[] = [];
    for (let i = 0; i < samples; i++) {
      ours.push(await probe(probeFile, path.join(dist, 'extension.js'), storage));
      empty.push(await probe(probeFile, path.join(EMPTY_EXTENSION, 'extension.js'), storage));
    }
    const total = (result: ProbeResult) => result.loadWallMs + result.activateWallMs;
    const oursMs = median(ours.map(total));
    const emptyMs = median(empty.map(total));
    const returningState = returningUserState(ours[0]);
    const returning = await probe(probeFile, path.join(dist, 'extension.js'), storage, returningState);
    const io = [...new Set(ours.flatMap((result) => result.io))];
    const returningIo = [...new Set(returning.io)];
    const ioText = (calls: string[]) => (calls.length === 0 ? 'none' : `${calls.length} calls`);
    const rows: Row[] = [
      {
        figure: 'activation, plain Node (load + activate)',
        ours: formatMs(oursMs),
        reference: `empty extension ${formatMs(emptyMs)}`,
        ratio: `${formatRatio(oursMs / emptyMs)} (${formatDifference(oursMs - emptyMs)})`,
        goal: `≤ ${GOAL_MS} ms above`,
        pass: verdict(smoke, oursMs - emptyMs <= GOAL_MS),
      },
      {
        figure: 'activation: disk, network, processes (new user)',
        ours: ioText(io),
        reference: 'empty extension: none',
        ratio: '—',
        goal: 'nothing read at activation',
        pass: io.length === 0,
      },
      {
        figure: 'activation: disk, network, processes (returning user)',
        ours: ioText(returningIo),
        reference: 'empty extension: none',
        ratio: '—',
        goal: 'nothing read at activation',
        pass: returningIo.length === 0,
      },
    ];
    const details: Record<string, unknown> = {
      samples,
      plainNode: { oursMs, emptyMs, ours, empty },
      ioAtActivation: { newUser: io, returningUser: returningIo, returningUserState: returningState },
      vscodeCallsAtActivation: [...new Set(ours[0].calls)],
    };
    if (smoke || !vsix) {
      return { name: this.name, rows, details, skipped: 'a smoke run does not start code-server' };
    }
    let host;
    try {
      host = await activationInCodeServer(context, vsix, { empty: EMPTY_EXTENSION, timer: TIMER_EXTENSION });
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      rows.push({ figure: 'activation, extension host', ours: 'error', reference: '—', ratio: '—', goal: message.slice(0, 80), pass: false });
      return { name: this.name, rows, details: { ...details, extensionHostError: (error as Error).stack } };
    }
    rows.push({
      figure: `activation, extension host (${host.launches} launches)`,
      ours: formatMs(host.oursMs),
      reference: `empty extension ${formatMs(host.emptyMs)}`,
      ratio: `${formatRatio(host.oursMs / host.emptyMs)} (${formatDifference(host.differenceMs)} median per launch)`,
      goal: `≤ ${GOAL_MS} ms above`,
      pass: host.differenceMs <= GOAL_MS,
    });
    details.extensionHost = host;
    return { name: this.name, rows, details };
  },
};
