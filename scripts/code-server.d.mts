// Types for scripts/code-server.mjs.

export const QUIET_SETTINGS: Readonly<Record<string, unknown>>;

export interface StartOptions {
  /** Folder to open; default a new empty temp folder. */
  workspace?: string;
  /** Extension package(s) installed with `--install-extension` before the server starts. */
  vsix?: string | string[];
  /** User settings, written to `<userDataDir>/User/settings.json` over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Start from QUIET_SETTINGS (default true). */
  quietSettings?: boolean;
  /** Extra environment for the server and so for the extension host (e.g. SONNET_API_KEY). */
  env?: Record<string, string>;
  /** Default: a free port. */
  port?: number;
  userDataDir?: string;
  extensionsDir?: string;
  /** Keep the temp folders after stop(). */
  keep?: boolean;
  /** More code-server flags. */
  extraArgs?: string[];
  /** How long to wait for /healthz (default 60 s). */
  timeoutMs?: number;
  /** Each line the server prints. */
  onOutput?: (line: string) => void;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** `url?folder=<folder>`; default the workspace. */
  folderUrl(folder?: string): string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** VS Code's logs folder (`<userDataDir>/logs`: server, exthost, remoteagent...). */
  logsDir: string;
  /** What the code-server process printed. */
  serverLog: string;
  pid: number;
  timings: { installExtensionMs: number; startMs: number };
  /** Kills the whole process tree and removes the temp folders (unless keep). Idempotent. */
  stop(): Promise<void>;
  /** Copies logsDir and serverLog into `dest`. */
  copyLogs(dest: string): Promise<void>;
}

export function startCodeServer(opts?: StartOptions): Promise<CodeServer>;
export function installExtensions(opts: {
  vsix: string | string[];
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<string>;
export function copyLogs(from: { logsDir: string; serverLog?: string }, dest: string): Promise<void>;
export function freePort(): Promise<number>;
