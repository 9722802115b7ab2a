#!/usr/bin/env node
// Launch a fresh, throwaway code-server (the real VS Code in a browser) on 127.0.0.1:
//
//   const cs = await startCodeServer({ vsix: 'sonnet-chat.vsix', workspace, settings, env });
//   ... open cs.folderUrl in a browser ...
//   await cs.stop();
//
// Every instance gets its own --user-data-dir and --extensions-dir (under os.tmpdir() unless given),
// so runs never share state. The extensions are installed the way users install them
// (`--install-extension x.vsix`), and `settings` is written to `<user-data-dir>/User/settings.json`.
// stop() kills the whole process tree (server, extension host, pty host, file watcher, terminals).
//
// CLI, for poking at it by hand:
//   node scripts/code-server.mjs [--vsix file.vsix]... [--settings file.json] [--port N] [--keep] [WORKSPACE]

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killTree } from './process-tree.mjs';
import { endTogether } from './shutdown.mjs';
import { ensureCodeServer, node24Env } from './vscode-server.mjs';

/**
 * Settings that make a test window quiet and deterministic. Callers' settings win.
 * (Not secrets: the API key lives in SecretStorage and never belongs here.)
 */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'editor.rightClickMovesCursor': false,
  'editor.minimap.enabled': false,
  'files.hotExit': 'off',
  'window.confirmBeforeClose': 'never',
  'window.restoreWindows': 'none',
};

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function runToEnd(cmd, args, { env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Environment for code-server: node24 first on PATH, none of an outer VS Code's or npm's variables. */
function serverEnv(base, extra = {}) {
  const env = node24Env(process.env);
  // code-server keeps a heartbeat file and its own logs under $XDG_DATA_HOME/code-server: keep them
  // in the throwaway folder instead of the user's home.
  env.XDG_DATA_HOME = path.join(base, 'xdg-data');
  // Likewise VS Code's device id (~/.cache/Microsoft/DeveloperTools).
  env.XDG_CACHE_HOME = path.join(base, 'xdg-cache');
  // And the server's IPC sockets (vscode-ipc-*.sock) and the extensions' temp files (e.g.
  // vscode-typescript*), else left behind in /tmp. Short paths: sockets are limited to 107 bytes.
  env.XDG_RUNTIME_DIR = path.join(base, 'run');
  env.TMPDIR = path.join(base, 'tmp');
  for (const k of Object.keys(env)) {
    // Variables of a VS Code this might run inside (its terminal) would make code-server's CLI talk
    // to that window instead of starting a server.
    if (/^(VSCODE_|ELECTRON_)/.test(k)) delete env[k];
  }
  delete env.npm_config_nodedir;
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.PORT;
  return { ...env, ...extra };
}

/**
 * Install extensions from .vsix files into `extensionsDir` (code-server's own CLI, like a user would).
 * @returns the CLI's output
 */
export async function installExtensions({ vsix, userDataDir, extensionsDir, configFile, env }) {
  const info = await ensureCodeServer();
  const files = [vsix].flat().filter(Boolean);
  if (!files.length) return '';
  const args = [info.entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const f of files) {
    const abs = path.resolve(f);
    if (!fs.existsSync(abs)) throw new Error(`no such .vsix: ${abs}`);
    args.push('--install-extension', abs);
  }
  args.push('--force');
  const { code, out } = await runToEnd(info.nodeBin, args, { env });
  const ok = (out.match(/successfully installed/gi) ?? []).length;
  if (code !== 0 || ok < files.length) {
    throw new Error(`installing ${files.map((f) => path.basename(f)).join(', ')} failed (exit ${code}):\n${out}`);
  }
  return out;
}

/**
 * Start a throwaway code-server on 127.0.0.1 and wait until it answers.
 *
 * @param {object} [opts]
 * @param {string} [opts.workspace]  folder to open (default: a new empty temp folder)
 * @param {string|string[]} [opts.vsix]  extension package(s) to install first
 * @param {Record<string, unknown>} [opts.settings]  user settings (merged over QUIET_SETTINGS)
 * @param {boolean} [opts.quietSettings=true]  start from QUIET_SETTINGS
 * @param {Record<string, string>} [opts.env]  extra environment for the server and its extension host
 * @param {number} [opts.port]  default: a free port
 * @param {string} [opts.userDataDir]  default: new temp dir (removed by stop() unless keep)
 * @param {string} [opts.extensionsDir]  default: new temp dir (removed by stop() unless keep)
 * @param {boolean} [opts.keep=false]  keep the temp dirs after stop()
 * @param {string[]} [opts.extraArgs]  more code-server flags
 * @param {number} [opts.timeoutMs=60000]  how long to wait for the server to answer
 * @param {(line: string) => void} [opts.onOutput]  sees each line the server prints
 */
export async function startCodeServer(opts = {}) {
  const t0 = Date.now();
  const info = await ensureCodeServer();
  const base = await fsp.mkdtemp(path.join(os.tmpdir(), 'vscode-e2e-'));
  const userDataDir = path.resolve(opts.userDataDir ?? path.join(base, 'user-data'));
  const extensionsDir = path.resolve(opts.extensionsDir ?? path.join(base, 'extensions'));
  const workspace = path.resolve(opts.workspace ?? path.join(base, 'workspace'));
  const configFile = path.join(base, 'config.yaml');
  const serverLog = path.join(base, 'code-server.log');
  await Promise.all([userDataDir, extensionsDir, workspace, path.join(userDataDir, 'User'), path.join(base, 'run'), path.join(base, 'tmp')].map((d) => fsp.mkdir(d, { recursive: true })));
  await fsp.chmod(path.join(base, 'run'), 0o700);
  // An explicit config file, so code-server neither reads nor writes ~/.config/code-server.
  await fsp.writeFile(configFile, 'auth: none\ndisable-telemetry: true\ndisable-update-check: true\n');

  const settings = { ...(opts.quietSettings === false ? {} : QUIET_SETTINGS), ...(opts.settings ?? {}) };
  await fsp.writeFile(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');

  const env = serverEnv(base, opts.env);
  const tInstall = Date.now();
  if (opts.vsix) await installExtensions({ vsix: opts.vsix, userDataDir, extensionsDir, configFile, env });
  const installMs = Date.now() - tInstall;

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      const handle = await launch({ info, port, userDataDir, extensionsDir, workspace, configFile, serverLog, env, opts });
      const dirsToRemove = opts.keep ? [] : [opts.userDataDir ? null : userDataDir, opts.extensionsDir ? null : extensionsDir, opts.workspace ? null : workspace].filter(Boolean);
      let stopped;
      const stop = async () => {
        stopped ??= (async () => {
          await killTree(handle.child.pid);
          await handle.exited;
          if (!opts.keep) {
            for (const d of dirsToRemove) await fsp.rm(d, { recursive: true, force: true }).catch(() => {});
            await fsp.rm(base, { recursive: true, force: true }).catch(() => {});
            // A process that was still exiting may have written into it meanwhile.
            await new Promise((r) => setTimeout(r, 300));
            if (fs.existsSync(base)) await fsp.rm(base, { recursive: true, force: true }).catch(() => {});
          }
        })();
        return stopped;
      };
      const url = `http://127.0.0.1:${port}/`;
      return {
        url,
        port,
        /** Opens `folder` (default: the workspace). */
        folderUrl: (folder = workspace) => `${url}?folder=${encodeURIComponent(folder)}`,
        workspace,
        userDataDir,
        extensionsDir,
        /** VS Code's logs (server, extension host `exthost*`, window); copy it for failure artifacts. */
        logsDir: path.join(userDataDir, 'logs'),
        /** What the code-server process printed. */
        serverLog,
        pid: handle.child.pid,
        timings: { installExtensionMs: installMs, startMs: Date.now() - t0 },
        stop,
        /** Copy logs (VS Code's logs folder and the server output) into `dest`. */
        copyLogs: (dest) => copyLogs({ logsDir: path.join(userDataDir, 'logs'), serverLog }, dest),
      };
    } catch (err) {
      lastError = err;
      if (!/EADDRINUSE/.test(String(err.message)) || opts.port) break;
    }
  }
  await fsp.rm(base, { recursive: true, force: true }).catch(() => {});
  throw lastError;
}

async function launch({ info, port, userDataDir, extensionsDir, workspace, configFile, serverLog, env, opts }) {
  const args = [
    info.entry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.extraArgs ?? []),
    workspace,
  ];
  const out = fs.createWriteStream(serverLog, { flags: 'a' });
  const child = spawn(info.nodeBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let exitInfo;
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => { exitInfo = sig ?? code; resolve(exitInfo); }));
  exited.then(() => out.end());
  let lineBuf = '';
  const onData = (d) => {
    out.write(d);
    const s = d.toString('utf8');
    if (output.length < 64_000) output += s;
    lineBuf += s;
    let i;
    while ((i = lineBuf.indexOf('\n')) >= 0) {
      opts.onOutput?.(lineBuf.slice(0, i));
      lineBuf = lineBuf.slice(i + 1);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('error', (err) => (exitInfo = String(err)));

  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const health = `http://127.0.0.1:${port}/healthz`;
  while (Date.now() < deadline) {
    if (exitInfo !== undefined) throw new Error(`code-server exited (${exitInfo}) before it was ready:\n${output.slice(-4000)}`);
    if (/HTTP server listening/.test(output) && (await httpGet(health)) === 200) return { child, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  await killTree(child.pid);
  throw new Error(`code-server did not answer on ${health} within ${timeoutMs} ms:\n${output.slice(-4000)}`);
}

/** Copy VS Code's logs folder and the server output into `dest` (best effort). */
export async function copyLogs({ logsDir, serverLog }, dest) {
  await fsp.mkdir(dest, { recursive: true });
  if (fs.existsSync(logsDir)) await fsp.cp(logsDir, path.join(dest, 'logs'), { recursive: true }).catch(() => {});
  if (serverLog && fs.existsSync(serverLog)) await fsp.copyFile(serverLog, path.join(dest, 'code-server.log')).catch(() => {});
}

// ---------------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const vsix = [];
  let settings;
  let port;
  let keep = false;
  let workspace;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vsix') vsix.push(argv[++i]);
    else if (a === '--settings') settings = JSON.parse(fs.readFileSync(argv[++i], 'utf8'));
    else if (a === '--port') port = Number(argv[++i]);
    else if (a === '--keep') keep = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/code-server.mjs [--vsix file.vsix]... [--settings file.json] [--port N] [--keep] [WORKSPACE]');
      return;
    } else workspace = a;
  }
  let cs;
  endTogether(() => cs?.stop());
  cs = await startCodeServer({ vsix, settings, port, keep, workspace, timeoutMs: 120_000 });
  console.log(`code-server ready in ${cs.timings.startMs} ms: ${cs.folderUrl()}`);
  console.log(`  logs: ${cs.logsDir}`);
  console.log('Ctrl+C to stop');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
