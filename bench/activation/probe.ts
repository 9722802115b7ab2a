/**
 * Loads an extension bundle and runs its `activate()` in plain Node, with a stand-in `vscode` module,
 * while recording every file-system, network and process call made meanwhile (and shortly after,
 * for work `activate()` starts without awaiting). Prints one JSON line.
 *
 * Bundled into one plain .cjs by the bench and run with plain `node`, so neither tsx nor anything
 * else hooks the module loader whose time is measured.
 *
 *   node --expose-gc probe.cjs EXTENSION_FILE STORAGE_DIR [STATE_JSON]
 *
 * STATE_JSON seeds the extension's global and workspace state, as a returning user's would be.
 */
import * as path from 'node:path';
import { fakeVscode, provideVscodeModule } from '../../test/fixtures/fakeVscode';
import { watchIo } from './watchIo';

/** How long after `activate()` returns its unawaited work still counts as activation. */
const SETTLE_MS = 200;

/**
 * Node's own modules that VS Code's extension host has loaded before any extension activates (it
 * uses them itself, and patches http, https, net and tls for proxies). Loading them here first keeps
 * their one-time cost out of the extension's figure, as in the real host.
 */
const HOST_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'stream', 'string_decoder', 'tls', 'url', 'util', 'zlib'];

export interface ProbeResult {
  /** CPU time (this process, all threads) of `require()` and of `activate()`: the machine's other load does not inflate it. */
  loadMs: number;
  activateMs: number;
  /** The same, wall-clock. */
  loadWallMs: number;
  activateWallMs: number;
  /** Everything that touched the disk, the network or another process, the loader's own work on the bundle excepted. */
  io: string[];
  /** The `vscode` API calls made. */
  calls: string[];
}

async function main(): Promise<void> {
  const [file, storage, state] = process.argv.slice(2);
  for (const name of HOST_BUILTINS) require(`node:${name}`);
  const vscode = fakeVscode();
  provideVscodeModule(vscode.api);
  const context = vscode.context(path.dirname(path.dirname(file)), storage, state ? JSON.parse(state) : {});
  const io = watchIo();
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  // The stand-in's setup (it reads VS Code's type declarations) leaves garbage whose collection
  // would otherwise land in the middle of what is measured.
  (globalThis as { gc?: () => void }).gc?.();
  const start = [cpuMs(), performance.now()];
  const extension = require(file) as { activate(context: unknown): unknown };
  const loaded = [cpuMs(), performance.now()];
  await extension.activate(context);
  const activated = [cpuMs(), performance.now()];
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  io.stop();
  const result: ProbeResult = {
    loadMs: loaded[0] - start[0],
    activateMs: activated[0] - loaded[0],
    loadWallMs: loaded[1] - start[1],
    activateWallMs: activated[1] - loaded[1],
    io: io.calls.filter((call) => !call.endsWith(` ${file}`)),
    calls: vscode.calls,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  // Whatever the extension left running (timers, watchers) must not keep the probe alive.
  process.exit(0);
}

void main();
