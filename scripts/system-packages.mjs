#!/usr/bin/env node
// The Debian packages `npm start` and `npm test` need beyond what npm installs, installed by them when
// missing, so that the README's two commands are enough on a fresh machine:
//
//   code-server  the headers code-server's native modules build against (kerberos: libkrb5-dev;
//                VS Code's keytar, keymap and X11 bindings: libsecret-1-dev libxkbfile-dev libx11-dev),
//                and node-gyp's python3, make and g++ (only for the first, cached install)
//   chromium     Debian's Chromium, which the end-to-end tests and the bench drive (Playwright cannot
//                download one here); not needed when CHROMIUM_PATH names another
//
// Presence is read from dpkg (and, for the build tools, PATH), never found out by trying a build.
// Missing ones are installed with one `apt-get update` and one `apt-get install`, as root or through
// password-less sudo, after a line saying what and why; otherwise it stops with the command to run.
// Without dpkg (not Debian) nothing is checked; VSCODE_TEST_SKIP_APT_CHECK=1 skips the check too.
//
//   node scripts/system-packages.mjs chromium [code-server]   make sure these are installed

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What each need asks for. `command`: an executable on PATH also counts, since tools are often
 * installed some other way than from Debian's package.
 */
export const NEEDS = {
  'code-server': {
    why: "code-server's native modules build against them",
    packages: [
      { name: 'libkrb5-dev' },
      { name: 'libsecret-1-dev' },
      { name: 'libxkbfile-dev' },
      { name: 'libx11-dev' },
      { name: 'python3', command: 'python3' },
      { name: 'make', command: 'make' },
      { name: 'g++', command: 'g++' },
    ],
  },
  chromium: {
    why: 'the tests drive it',
    packages: [{ name: 'chromium' }],
  },
};

export class SystemPackagesError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SystemPackagesError';
  }
}

const APT_INSTALL = ['install', '-y', '--no-install-recommends'];

/** The command a person runs to install `packages` (`sudo` unless already root). */
export function manualCommand(packages, { isRoot }) {
  const sudo = isRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get ${APT_INSTALL.join(' ')} ${packages.join(' ')}`;
}

/**
 * The missing packages of `needs`, each with the need it serves, in order and without repeats.
 * @param {string[]} needs  keys of NEEDS
 * @param {{ dpkgInstalled(name: string): boolean, onPath(command: string): boolean }} probes
 */
export function missingPackages(needs, probes) {
  const missing = [];
  for (const need of needs) {
    for (const pkg of NEEDS[need].packages) {
      if (missing.some((m) => m.name === pkg.name)) continue;
      if (probes.dpkgInstalled(pkg.name) || (pkg.command && probes.onPath(pkg.command))) continue;
      missing.push({ name: pkg.name, need });
    }
  }
  return missing;
}

/**
 * What to do about `missing`: nothing, install (the commands, and the one line saying what and why),
 * or stop (the message, with the command to run).
 * @param {{ name: string, need: string }[]} missing
 * @param {{ isRoot: boolean, hasAptGet: boolean, sudoWithoutPassword: () => boolean }} probes
 */
function planInstall(missing, probes) {
  if (!missing.length) return { action: 'none' };
  const names = missing.map((m) => m.name);
  const reasons = [...new Set(missing.map((m) => m.need))]
    .map((need) => `${missing.filter((m) => m.need === need).map((m) => m.name).join(' ')} (${NEEDS[need].why})`)
    .join(', ');
  const byHand = (why) =>
    new SystemPackagesError(
      `Missing Debian packages: ${reasons}.\n${why}, so install them yourself, then run this again:\n  ${manualCommand(names, probes)}`,
    );
  if (!probes.hasAptGet) return { action: 'stop', error: byHand('apt-get is not available') };
  let prefix = [];
  if (!probes.isRoot) {
    if (!probes.sudoWithoutPassword()) return { action: 'stop', error: byHand('Not running as root, and sudo asks for a password (or is absent)') };
    // sudo's own VAR=value form: its env_reset would drop an inherited DEBIAN_FRONTEND.
    prefix = ['sudo', '-n', 'DEBIAN_FRONTEND=noninteractive'];
  }
  const apt = (args) => (prefix.length ? { command: prefix[0], args: [...prefix.slice(1), 'apt-get', ...args] } : { command: 'apt-get', args });
  return {
    action: 'install',
    notice: `Installing with apt-get: ${reasons}.`,
    commands: [apt(['update', '-q']), apt([...APT_INSTALL, '-q', ...names])],
    packages: names,
  };
}

// ---------------------------------------------------------------------------------------------------
// the real probes

function dpkgInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  // "install ok installed", "hold ok installed"; absent, or removed with its configuration kept, is not.
  return r.status === 0 && r.stdout.trim().split(' ')[2] === 'installed';
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const systemProbes = {
  hasDpkg: () => onPath('dpkg-query'),
  dpkgInstalled,
  onPath,
  isRoot: () => process.getuid?.() === 0,
  hasAptGet: () => onPath('apt-get'),
  sudoWithoutPassword: () => onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
};

/** Runs a command with its output kept (shown only when it fails); resolves with code and output. */
function runQuietly({ command, args }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ code: 127, output: String(err) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Make sure the packages of `needs` are installed (see the top of this file). Prints one line when it
 * installs; throws SystemPackagesError when it cannot, saying what to run.
 * @param {string[]} needs  keys of NEEDS
 */
export async function ensureSystemPackages(needs, { probes = systemProbes, run = runQuietly, log = (line) => console.log(line), env = process.env } = {}) {
  if (env.VSCODE_TEST_SKIP_APT_CHECK === '1' || !probes.hasDpkg()) return;
  const wanted = env.CHROMIUM_PATH ? needs.filter((need) => need !== 'chromium') : needs;
  const plan = planInstall(missingPackages(wanted, probes), {
    isRoot: probes.isRoot(),
    hasAptGet: probes.hasAptGet(),
    sudoWithoutPassword: probes.sudoWithoutPassword,
  });
  if (plan.action === 'none') return;
  if (plan.action === 'stop') throw plan.error;
  log(plan.notice);
  for (const step of plan.commands) {
    const { code, output } = await run(step);
    if (code !== 0) {
      const tail = output.trim().split('\n').slice(-15).join('\n');
      throw new SystemPackagesError(
        `${[step.command, ...step.args].join(' ')} failed (exit ${code}):\n${tail}\nInstall them yourself, then run this again:\n  ${manualCommand(plan.packages, { isRoot: probes.isRoot() })}`,
      );
    }
  }
  const still = missingPackages(wanted, probes);
  if (still.length) throw new SystemPackagesError(`apt-get finished, but dpkg still lacks: ${still.map((m) => m.name).join(' ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const needs = process.argv.slice(2);
  const unknown = needs.filter((need) => !(need in NEEDS));
  if (!needs.length || unknown.length) {
    console.error(`usage: node scripts/system-packages.mjs ${Object.keys(NEEDS).join('|')}...`);
    process.exit(2);
  }
  ensureSystemPackages(needs).then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof SystemPackagesError ? err.message : err);
      process.exit(1);
    },
  );
}
