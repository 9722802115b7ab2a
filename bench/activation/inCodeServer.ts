/**
 * Activation in the real extension host: code-server with Sonnet Chat, the empty extension and the
 * timer extension, all installed from .vsix. The timer activates the other two, one after the other
 * (`vscode.extensions.getExtension(id).activate()`), and logs each one's wall-clock time as the host
 * sees it: loading the code, running `activate()`, and the host's own work around them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageVsix, VSCode } from '../../test/e2e/harness';
import type { BenchContext } from '../lib/figure';
import { median } from '../lib/stats';

const SONNET_ID = 'sonnet-chat.sonnet-chat';
const EMPTY_ID = 'sonnet-chat-bench.bench-empty';
const LOGGED_TIMES = /bench-activation (\{[^}]*\})/;

export interface HostActivation {
  launches: number;
  oursMs: number;
  emptyMs: number;
  /** The median of each launch's difference: a launch's own slowness weighs on both of its times. */
  differenceMs: number;
  samples: Array<{ oursMs: number; emptyMs: number; order: string[] }>;
}

/** Lines of the extension host's logs so far. */
function hostLog(vsc: VSCode): string {
  const logs = path.join(vsc.server.userDataDir, 'logs');
  const files = fs.existsSync(logs) ? (fs.readdirSync(logs, { recursive: true }) as string[]).filter((file) => file.endsWith('exthost.log')) : [];
  return files.map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n');
}

/**
 * Waits until the extension host has started every extension that starts with the window (Git's and
 * the like), and a little more: an extension activated meanwhile would share the host's time with
 * them, and the figure is wall-clock.
 */
async function hostSettled(vsc: VSCode): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!hostLog(vsc).includes('Eager extensions activated')) {
    if (Date.now() > deadline) throw new Error('the extension host did not finish starting its extensions within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

/** Runs the timer's command and reads the times it logs (the host's console reaches the page's). */
async function timeActivations(vsc: VSCode): Promise<Record<string, number>> {
  const logged = new Promise<string>((resolve) => {
    // The workbench shows the host's lines as `%c[Extension Host] %c<line>` and the styles after.
    vsc.page.on('console', (message) => {
      const times = LOGGED_TIMES.exec(message.text());
      if (times) resolve(times[1]);
    });
  });
  await vsc.runCommand('Bench: Time the Activations');
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the timer extension logged no times within 30 s')), 30_000));
  return JSON.parse(await Promise.race([logged, timeout])) as Record<string, number>;
}

export async function activationInCodeServer(context: BenchContext, vsix: string, bench: { empty: string; timer: string }): Promise<HostActivation> {
  const [emptyVsix, timerVsix] = await Promise.all([
    packageVsix(bench.empty, path.join(context.scratch, 'bench-empty.vsix')),
    packageVsix(bench.timer, path.join(context.scratch, 'bench-timer.vsix')),
  ]);
  // Even, so that each goes first as often: the one activated second was seen to pay more.
  const launches = 6;
  const samples: HostActivation['samples'] = [];
  for (let launch = 0; launch < launches; launch++) {
    context.log(`activation: code-server launch ${launch + 1} of ${launches}`);
    // Taking turns at going first, so neither always activates into a host the other just used.
    const order = launch % 2 === 0 ? [EMPTY_ID, SONNET_ID] : [SONNET_ID, EMPTY_ID];
    const vsc = await VSCode.launch({ vsix: [vsix, emptyVsix, timerVsix], settings: { 'sonnet.baseUrl': context.mock.url, 'benchTimer.extensions': order } });
    try {
      await hostSettled(vsc);
      const times = await timeActivations(vsc);
      samples.push({ oursMs: times[SONNET_ID], emptyMs: times[EMPTY_ID], order });
    } finally {
      await vsc.close();
    }
  }
  return {
    launches,
    oursMs: median(samples.map((sample) => sample.oursMs)),
    emptyMs: median(samples.map((sample) => sample.emptyMs)),
    differenceMs: median(samples.map((sample) => sample.oursMs - sample.emptyMs)),
    samples,
  };
}
