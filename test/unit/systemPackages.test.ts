// Which Debian packages `npm start` and `npm test` install, how, and what they say when they cannot:
// scripts/system-packages.mjs with its process probes (dpkg, PATH, uid, sudo) and its runner injected,
// so nothing is installed or removed on the machine running the tests.

import assert from 'node:assert/strict';
import {
  SystemPackagesError,
  ensureSystemPackages,
  type Command,
  type Probes,
} from '../../scripts/system-packages.mjs';

interface Machine {
  probes: Probes;
  /** What was run, as command lines. */
  ran: string[];
  run: (step: Command) => Promise<{ code: number; output: string }>;
  lines: string[];
  log: (line: string) => void;
}

/** A machine whose dpkg has `installed`; a successful `apt-get install` adds its packages. */
function machine(opts: { installed: string[]; onPath?: string[]; root?: boolean; aptGet?: boolean; dpkg?: boolean; sudo?: boolean; aptFails?: string }): Machine {
  const installed = new Set(opts.installed);
  const ran: string[] = [];
  const lines: string[] = [];
  return {
    probes: {
      hasDpkg: () => opts.dpkg ?? true,
      dpkgInstalled: (name) => installed.has(name),
      onPath: (command) => (opts.onPath ?? []).includes(command),
      isRoot: () => opts.root ?? true,
      hasAptGet: () => opts.aptGet ?? true,
      sudoWithoutPassword: () => opts.sudo ?? false,
    },
    ran,
    run: async ({ command, args }) => {
      ran.push([command, ...args].join(' '));
      if (opts.aptFails) return { code: 100, output: `Reading package lists...\n${opts.aptFails}` };
      const install = args.indexOf('install');
      if (install >= 0) for (const a of args.slice(install + 1)) if (!a.startsWith('-')) installed.add(a);
      return { code: 0, output: '' };
    },
    lines,
    log: (line) => lines.push(line),
  };
}

const CODE_SERVER = ['libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev', 'python3', 'make', 'g++'];
const EVERYTHING = [...CODE_SERVER, 'chromium'];
const NO_CHROMIUM_PATH = {};

describe('system packages for npm start and npm test', () => {
  it('does nothing and prints nothing when everything is installed', async () => {
    const m = machine({ installed: EVERYTHING });
    await ensureSystemPackages(['code-server', 'chromium'], { ...m, env: NO_CHROMIUM_PATH });
    assert.deepEqual(m.ran, []);
    assert.deepEqual(m.lines, []);
  });

  it('as root installs what is missing after one apt-get update, saying in one line what and why', async () => {
    const m = machine({ installed: EVERYTHING.filter((p) => p !== 'libkrb5-dev' && p !== 'libx11-dev' && p !== 'chromium') });
    await ensureSystemPackages(['code-server', 'chromium'], { ...m, env: NO_CHROMIUM_PATH });
    assert.deepEqual(m.ran, ['apt-get update -q', 'apt-get install -y --no-install-recommends -q libkrb5-dev libx11-dev chromium']);
    assert.deepEqual(m.lines, [
      "Installing with apt-get: libkrb5-dev libx11-dev (code-server's native modules build against them), chromium (the tests drive it).",
    ]);
  });

  it('without root uses password-less sudo, keeping apt-get non-interactive', async () => {
    const m = machine({ installed: CODE_SERVER, root: false, sudo: true });
    await ensureSystemPackages(['chromium'], { ...m, env: NO_CHROMIUM_PATH });
    assert.deepEqual(m.ran, [
      'sudo -n DEBIAN_FRONTEND=noninteractive apt-get update -q',
      'sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -q chromium',
    ]);
  });

  it('without root or password-less sudo stops with the exact command, running nothing', async () => {
    const m = machine({ installed: EVERYTHING.filter((p) => p !== 'libsecret-1-dev'), root: false, sudo: false });
    await assert.rejects(ensureSystemPackages(['code-server'], { ...m, env: NO_CHROMIUM_PATH }), (err: Error) => {
      assert.ok(err instanceof SystemPackagesError);
      assert.equal(
        err.message,
        "Missing Debian packages: libsecret-1-dev (code-server's native modules build against them).\n" +
          'Not running as root, and sudo asks for a password (or is absent), so install them yourself, then run this again:\n' +
          '  sudo apt-get update && sudo apt-get install -y --no-install-recommends libsecret-1-dev',
      );
      return true;
    });
    assert.deepEqual(m.ran, []);
  });

  it('without apt-get stops with the command, without sudo for root', async () => {
    const m = machine({ installed: CODE_SERVER, aptGet: false });
    await assert.rejects(ensureSystemPackages(['chromium'], { ...m, env: NO_CHROMIUM_PATH }), (err: Error) => {
      assert.match(err.message, /^Missing Debian packages: chromium \(the tests drive it\)\.\napt-get is not available, so install them yourself/);
      assert.ok(err.message.endsWith('\n  apt-get update && apt-get install -y --no-install-recommends chromium'), err.message);
      return true;
    });
    assert.deepEqual(m.ran, []);
  });

  it('counts a build tool found on PATH as present, and one neither dpkg nor PATH knows as missing', async () => {
    const m = machine({ installed: CODE_SERVER.filter((p) => p !== 'g++' && p !== 'make'), onPath: ['g++'] });
    await ensureSystemPackages(['code-server'], { ...m, env: NO_CHROMIUM_PATH });
    assert.deepEqual(m.ran, ['apt-get update -q', 'apt-get install -y --no-install-recommends -q make']);
  });

  it('does not ask for Debian\'s Chromium when CHROMIUM_PATH names another', async () => {
    const m = machine({ installed: CODE_SERVER });
    await ensureSystemPackages(['code-server', 'chromium'], { ...m, env: { CHROMIUM_PATH: '/opt/chrome/chrome' } });
    assert.deepEqual(m.ran, []);
  });

  it('checks nothing where there is no dpkg (not Debian), or with VSCODE_TEST_SKIP_APT_CHECK=1', async () => {
    const noDpkg = machine({ installed: [], dpkg: false });
    await ensureSystemPackages(['code-server', 'chromium'], { ...noDpkg, env: NO_CHROMIUM_PATH });
    const skipped = machine({ installed: [] });
    await ensureSystemPackages(['code-server', 'chromium'], { ...skipped, env: { VSCODE_TEST_SKIP_APT_CHECK: '1' } });
    assert.deepEqual([...noDpkg.ran, ...skipped.ran, ...noDpkg.lines, ...skipped.lines], []);
  });

  it('when apt-get fails, says so with its last lines and the command to run by hand', async () => {
    const m = machine({ installed: CODE_SERVER, aptFails: 'E: Unable to locate package chromium' });
    await assert.rejects(ensureSystemPackages(['chromium'], { ...m, env: NO_CHROMIUM_PATH }), (err: Error) => {
      assert.ok(err instanceof SystemPackagesError);
      assert.match(err.message, /^apt-get update -q failed \(exit 100\):\nReading package lists\.\.\.\nE: Unable to locate package chromium\n/);
      assert.ok(err.message.endsWith('\n  apt-get update && apt-get install -y --no-install-recommends chromium'), err.message);
      return true;
    });
    assert.deepEqual(m.ran, ['apt-get update -q'], 'nothing is installed after a failed update');
  });
});
