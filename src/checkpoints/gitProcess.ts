/**
 * Runs `git` for the shadow repository, isolated from everything of the user's: the environment's own
 * GIT_* variables are dropped (a terminal inside a repository sets some), system and global config are
 * not read, hooks and fsmonitor never run, and nothing converts line endings. Node only, no `vscode`.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';

/** Where the shadow repository is and which folder it snapshots. */
export interface GitPlace {
  /** The shadow repository (`GIT_DIR`), in the extension's storage. */
  gitDir: string;
  /** The workspace folder (`GIT_WORK_TREE`). */
  workTree: string;
  /** The index to use; the shadow repository's private one unless a restore reads a tree apart. */
  indexFile: string;
  /** PATH to find git on; the process's own unless a test takes git away. */
  searchPath?: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** git is not on the PATH: the caller falls back to the edit tools' own checkpoints. */
export class GitMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitMissingError';
  }
}

/** `-c` settings of every call: whatever the shadow repository's config says, these hold. */
const SETTINGS = [
  ['core.hooksPath', os.devNull],
  ['core.fsmonitor', 'false'],
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.quotepath', 'off'],
  ['core.symlinks', 'true'],
  ['core.longpaths', 'true'],
  ['core.untrackedCache', 'false'],
  ['gc.autoDetach', 'false'],
  ['advice.addEmbeddedRepo', 'false'],
  ['core.logAllRefUpdates', 'false'],
  // Every blob straight into one pack per `git add`: no 10,000 loose files to write and pack again
  // later (gc took 18-42 s after a first snapshot), at the cost of no deltas between versions. Stored,
  // not deflated: the first snapshot of 200 MB takes 4 s instead of 7 (zlib level 1), for 1.03x the
  // workspace on disk instead of 0.72x (budget 1.2x; bench figure "checkpoints").
  ['core.bigFileThreshold', '1'],
  ['core.compression', '0'],
  // Trees and commits are still loose: packed once there are a thousand; the packs merged past fifty.
  ['gc.auto', '1000'],
  ['gc.autoPackLimit', '50'],
].flatMap(([key, value]) => ['-c', `${key}=${value}`]);

const IDENTITY = { name: 'Sonnet Chat checkpoints', email: 'checkpoints@sonnet-chat.invalid' };

function isolatedEnvironment(place: GitPlace): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toUpperCase().startsWith('GIT_')) environment[key] = value;
  if (place.searchPath !== undefined) environment.PATH = place.searchPath;
  return {
    ...environment,
    GIT_DIR: place.gitDir,
    GIT_WORK_TREE: place.workTree,
    GIT_INDEX_FILE: place.indexFile,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: os.devNull,
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
    LC_ALL: 'C',
  };
}

export interface GitCall {
  /** Written to git's standard input, then closed. */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (`diff --quiet` says 1 for "differs"). */
  okExitCodes?: readonly number[];
}

export interface GitOutput {
  stdout: Buffer;
  exitCode: number;
}

/** Runs one git command in the shadow repository; rejects with `GitMissingError` or `GitError`. */
export function runGit(place: GitPlace, args: readonly string[], call: GitCall = {}): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SETTINGS, ...args], { cwd: place.workTree, env: isolatedEnvironment(place), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8_000) stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new GitMissingError('git was not found on this machine (PATH), so checkpoints cover only the edit tools’ own changes.'));
      else reject(new GitError(`Could not start git: ${error.message}`, null, ''));
    });
    // A closed stdin (git did not read it all) is not a failure of its own: the exit code says.
    child.stdin.on('error', () => {});
    child.stdin.end(call.input);
    child.on('close', (code) => {
      const exitCode = code ?? -1;
      if (exitCode === 0 || call.okExitCodes?.includes(exitCode)) resolve({ stdout: Buffer.concat(stdout), exitCode });
      else reject(new GitError(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' ')}`, code, stderr));
    });
  });
}

/** Splits git's `-z` output into its records. */
export function nulRecords(output: Buffer): string[] {
  const text = output.toString('utf8');
  const records = text.split('\0');
  if (records[records.length - 1] === '') records.pop();
  return records;
}
