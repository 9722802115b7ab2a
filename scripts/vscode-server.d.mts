// Types for scripts/vscode-server.mjs (plain ESM so it runs before anything is built).

export const NODE_VERSION: string;
export const CODE_SERVER_VERSION: string;

export interface CodeServerInstall {
  nodeDir: string;
  /** node 24, run code-server as `spawn(nodeBin, [entry, ...args])`. */
  nodeBin: string;
  nodeVersion: string;
  codeServerVersion: string;
  codeServerDir: string;
  packageDir: string;
  entry: string;
  logFile: string;
}

export class SetupError extends Error {
  logFile?: string;
}

export type Log = (message: string) => void;

/** `$VSCODE_TEST_CACHE` or `<project>/.vscode-test`. */
export function cacheDir(): string;
export function nodeDir(): string;
export function codeServerDir(): string;
/** Installs node24 (once); its paths. */
export function ensureNode24(opts?: { log?: Log }): Promise<Pick<CodeServerInstall, 'nodeDir' | 'nodeBin' | 'nodeVersion'>>;
/** Installs node24 and code-server (once, ~2.5 minutes); later calls take milliseconds. */
export function ensureCodeServer(opts?: { log?: Log }): Promise<CodeServerInstall>;
/** The install if complete, else undefined; never installs. */
export function installedCodeServer(): CodeServerInstall | undefined;
/** Environment with node24 first on PATH and npm_config_nodedir pointing at its headers. */
export function node24Env(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function acquireLock(name: string, opts?: { waitMs?: number; staleMs?: number; log?: Log }): Promise<() => void>;
