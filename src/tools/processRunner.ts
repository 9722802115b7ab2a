/**
 * A command run as a child process of the extension host, in the user's shell: the way commands run
 * where the terminal's shell integration does not come up. Its output goes to the capture and to
 * `onOutput` (the terminal that mirrors it); it runs in a process group of its own so that Stop
 * reaches everything it started.
 */
import { spawn } from 'node:child_process';
import { baseName } from './commandPrograms';
import type { CommandExit, RunningCommand } from './commandWait';
import { OutputCapture } from './outputCapture';
import { killTree } from './processTree';

export interface ShellCommand {
  file: string;
  args: string[];
  /** Pass the arguments to Windows as they are (`windowsVerbatimArguments`). */
  verbatim?: boolean;
}

/** The POSIX shells whose reading of a command line the rules know (see `plainCommandLine.ts`). */
const POSIX_SHELLS = new Set(['bash', 'zsh', 'sh', 'dash']);

/** The shell's name if it is one the command rules can judge lines for, else undefined. */
export function posixShellName(shell: string | undefined): string | undefined {
  const name = baseName(shell?.trim() ?? '');
  return POSIX_SHELLS.has(name) ? name : undefined;
}

/** How `shell` (a path, as VS Code's `env.shell` gives it) runs one command line. */
export function shellCommand(shell: string | undefined, command: string, platform: NodeJS.Platform = process.platform): ShellCommand {
  const file = shell?.trim() || (platform === 'win32' ? process.env.ComSpec || 'cmd.exe' : '/bin/sh');
  const name = baseName(file);
  // cmd.exe reads its command line itself: Node's quoting for C programs would reach it as stray quotes.
  if (name === 'cmd') return { file, args: ['/d', '/s', '/c', command], verbatim: true };
  if (name === 'pwsh' || name === 'powershell') return { file, args: ['-NoProfile', '-NonInteractive', '-Command', command] };
  return { file, args: ['-c', command] };
}

export interface ProcessRunOptions {
  shell: ShellCommand;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onOutput?: (chunk: string) => void;
  /** Stop pressed before it starts: it does not start. */
  signal?: AbortSignal;
}

/**
 * Starts the command; rejects if the shell itself cannot be started (a wrong path, a missing folder).
 * Undefined, and nothing started, when `signal` was aborted already.
 */
export async function startProcess(options: ProcessRunOptions): Promise<(RunningCommand & { pid: number }) | undefined> {
  if (options.signal?.aborted) return undefined;
  const capture = new OutputCapture();
  const child = spawn(options.shell.file, options.shell.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: process.platform !== 'win32',
    windowsHide: true,
    windowsVerbatimArguments: options.shell.verbatim === true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      const pid = child.pid!;
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          capture.add(chunk);
          options.onOutput?.(chunk);
        });
      }
      // `close`, not `exit`: by then both streams are read to their end.
      const exited = new Promise<CommandExit>((settle) => {
        child.once('close', (code, signal) => settle(signal ? { exitCode: null, signal } : { exitCode: code }));
      });
      resolve({ pid, capture, exited, stop: () => killTree(pid, { group: process.platform !== 'win32' }) });
    });
  });
}
