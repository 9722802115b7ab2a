/**
 * Where `run_command` runs commands: in a terminal named "Sonnet" through shell integration
 * (`executeCommand`, its output read from the start with `execution.read()`, its exit code from
 * `onDidEndTerminalShellExecution`), or, where shell integration does not come up within a few
 * seconds, as a child process in the same shell, mirrored into a "Sonnet" terminal of its own.
 * A terminal is reused once its command has ended; one still running (timed out, in the background)
 * keeps its terminal, and the next command gets another.
 */
import * as vscode from 'vscode';
import { describeError, type Logger } from '../../api/log';
import { ENVIRONMENT_VARIABLE as API_KEY_VARIABLE } from '../../auth/apiKeyStore';
import type { CommandExit, RunningCommand } from '../commandWait';
import { OutputCapture } from '../outputCapture';
import { shellCommand, startProcess } from '../processRunner';
import { killGroupNow, killTree } from '../processTree';
import { MirrorTerminal } from './mirrorTerminal';

/**
 * How long a new terminal's shell integration is waited for before the command runs as a child
 * process. It took 3 to 10 s to come up in code-server on a busy two-core machine.
 */
const SHELL_INTEGRATION_WAIT_MS = 10_000;
/** After shell integration failed to come up, commands run as child processes for this long before it is tried again. */
const INTEGRATION_RETRY_MS = 5 * 60_000;
/** How long the terminal's `cd` into the command's folder may take. */
const CD_WAIT_MS = 10_000;
/** How long the output stream may lag behind the end of its command. */
const READ_GRACE_MS = 1_000;
const TERMINAL_NAME = 'Sonnet';

export type CommandWay = 'shellIntegration' | 'childProcess';

export interface StartedCommand {
  way: CommandWay;
  running: RunningCommand;
}

interface IntegratedTerminal {
  terminal: vscode.Terminal;
  busy: boolean;
}

interface MirrorSlot {
  mirror: MirrorTerminal;
  busy: boolean;
}

export class CommandTerminals implements vscode.Disposable {
  private readonly integrated: IntegratedTerminal[] = [];
  private readonly mirrors: MirrorSlot[] = [];
  /** Once a terminal's shell integration failed to come up, commands do not wait for it again until then (`performance.now()`). */
  private integrationRetryAt = 0;
  /** Process groups of child-process commands still running, killed when the extension goes. */
  private readonly childGroups = new Set<number>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly log: Logger) {
    this.listeners = [
      vscode.window.onDidCloseTerminal((closed) => {
        const at = this.integrated.findIndex((entry) => entry.terminal === closed);
        if (at >= 0) this.integrated.splice(at, 1);
        const mirror = this.mirrors.findIndex((entry) => entry.mirror.terminal === closed);
        if (mirror >= 0) this.mirrors.splice(mirror, 1);
      }),
    ];
  }

  /** Starts `command`; undefined, and nothing run, when `signal` is aborted before it could start. */
  async start(command: string, cwd: vscode.Uri, signal: AbortSignal): Promise<StartedCommand | undefined> {
    if (performance.now() >= this.integrationRetryAt) {
      const entry = await this.integratedTerminal(cwd);
      if (signal.aborted) return undefined;
      if (entry) {
        const running = await this.runIntegrated(entry, command, cwd, signal);
        return running && { way: 'shellIntegration', running };
      }
    }
    const running = await this.runChild(command, cwd, signal);
    return running && { way: 'childProcess', running };
  }

  private async integratedTerminal(cwd: vscode.Uri): Promise<IntegratedTerminal | undefined> {
    const idle = this.integrated.find((entry) => !entry.busy && entry.terminal.shellIntegration && entry.terminal.exitStatus === undefined);
    if (idle) return idle;
    // The key the editor may have been started with is not the commands' to print (`null` removes it).
    // Transient: a reload does not bring back a terminal nothing tracks any more.
    const terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd, env: { [API_KEY_VARIABLE]: null }, iconPath: new vscode.ThemeIcon('terminal'), isTransient: true });
    terminal.show(true);
    const waited = performance.now();
    const integration = await shellIntegrationOf(terminal, SHELL_INTEGRATION_WAIT_MS);
    if (!integration) {
      this.integrationRetryAt = performance.now() + INTEGRATION_RETRY_MS;
      this.log.warn(
        `Shell integration did not come up in the terminal within ${SHELL_INTEGRATION_WAIT_MS / 1000} s; commands run as child processes, mirrored into a terminal, for the next ${INTEGRATION_RETRY_MS / 60_000} minutes.`,
      );
      terminal.dispose();
      return undefined;
    }
    this.log.info(`Shell integration came up in the terminal after ${Math.round(performance.now() - waited)} ms`);
    const entry = { terminal, busy: false };
    this.integrated.push(entry);
    return entry;
  }

  private async runIntegrated(entry: IntegratedTerminal, command: string, cwd: vscode.Uri, signal: AbortSignal): Promise<RunningCommand | undefined> {
    const { terminal } = entry;
    entry.busy = true;
    terminal.show(true);
    const integration = terminal.shellIntegration!;
    if (integration.cwd?.fsPath !== cwd.fsPath) {
      const change = await execute(integration, `cd ${quoted(cwd.fsPath)}`, new OutputCapture());
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([change.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), CD_WAIT_MS)))]);
      clearTimeout(timer);
      if (!exit || (exit.exitCode !== 0 && exit.exitCode !== undefined)) {
        // A `cd` that hangs leaves the terminal in an unknown state: it is not reused.
        if (!exit) terminal.dispose();
        entry.busy = false;
        throw new Error(exit ? `the terminal could not change to ${cwd.fsPath}` : `the terminal did not change to ${cwd.fsPath} within ${CD_WAIT_MS / 1000} s`);
      }
    }
    if (signal.aborted) {
      entry.busy = false;
      return undefined;
    }
    const capture = new OutputCapture();
    const run = await execute(integration, command, capture);
    const exited = run.exited.finally(() => (entry.busy = false));
    return {
      capture,
      exited,
      stop: async () => {
        // Ctrl+C first, as the user would; then whatever is left below the shell, the shell staying.
        terminal.sendText('\x03', false);
        const shell = await terminal.processId;
        if (shell !== undefined) await killTree(shell, { keepRoot: true });
      },
    };
  }

  private async runChild(command: string, cwd: vscode.Uri, signal: AbortSignal): Promise<RunningCommand | undefined> {
    let slot = this.mirrors.find((entry) => !entry.busy);
    if (!slot) {
      slot = { mirror: new MirrorTerminal(TERMINAL_NAME), busy: false };
      this.mirrors.push(slot);
    }
    const { mirror } = slot;
    slot.busy = true;
    mirror.terminal.show(true);
    let stop = async () => {};
    mirror.begin(command, cwd.fsPath, () => void stop());
    try {
      const env = { ...process.env };
      delete env[API_KEY_VARIABLE];
      const running = await startProcess({ shell: shellCommand(vscode.env.shell, command), cwd: cwd.fsPath, env, onOutput: (chunk) => mirror.output(chunk), signal });
      if (!running) {
        mirror.end('stopped before it started');
        slot.busy = false;
        return undefined;
      }
      stop = () => running.stop();
      const owner = slot;
      this.childGroups.add(running.pid);
      const exited = running.exited.then((exit) => {
        this.childGroups.delete(running.pid);
        mirror.end(exit.signal ? `ended by ${exit.signal}` : `exit code ${exit.exitCode}`);
        owner.busy = false;
        return exit;
      });
      return { ...running, exited };
    } catch (error) {
      mirror.end(`could not start: ${describeError(error)}`);
      slot.busy = false;
      throw error;
    }
  }

  dispose(): void {
    // Now, not after an await: the extension host may be gone by then, and a server with it left running.
    for (const group of this.childGroups) killGroupNow(group);
    this.childGroups.clear();
    for (const listener of this.listeners) listener.dispose();
    for (const { mirror } of this.mirrors) mirror.dispose();
    for (const { terminal } of this.integrated) terminal.dispose();
  }
}

/** The terminal's shell integration once it is active, or undefined after `ms`. */
function shellIntegrationOf(terminal: vscode.Terminal, ms: number): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const finish = (integration: vscode.TerminalShellIntegration | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      closed.dispose();
      resolve(integration);
    };
    const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => {
      if (event.terminal === terminal) finish(event.shellIntegration);
    });
    const closed = vscode.window.onDidCloseTerminal((event) => {
      if (event === terminal) finish(undefined);
    });
    const timer = setTimeout(() => finish(terminal.shellIntegration), ms);
  });
}

/**
 * Runs `command` through shell integration. The end event is listened for before the command is
 * sent, and the output read from the start: fast commands (Cline #4313) keep their first line.
 */
async function execute(integration: vscode.TerminalShellIntegration, command: string, capture: OutputCapture): Promise<{ exited: Promise<CommandExit> }> {
  let execution: vscode.TerminalShellExecution | undefined;
  let resolveEnd = (_exit: CommandExit) => {};
  const ended = new Promise<CommandExit>((resolve) => (resolveEnd = resolve));
  const endListener = vscode.window.onDidEndTerminalShellExecution((event) => {
    if (event.execution === execution) resolveEnd({ exitCode: event.exitCode });
  });
  const closeListener = vscode.window.onDidCloseTerminal(() => {
    // A closed terminal ends its command; its exit code is unknown.
    if (execution && !vscode.window.terminals.some((terminal) => terminal.shellIntegration === integration)) resolveEnd({ exitCode: undefined });
  });
  execution = integration.executeCommand(command);
  const stream = execution.read();
  const read = (async () => {
    for await (const data of stream) capture.add(data);
  })().catch(() => undefined);
  const exited = ended.then(async (exit) => {
    endListener.dispose();
    closeListener.dispose();
    await Promise.race([read, new Promise((resolve) => setTimeout(resolve, READ_GRACE_MS))]);
    return exit;
  });
  return { exited };
}

/** A path as one shell word (POSIX shells and PowerShell take single quotes). */
function quoted(path: string): string {
  return `'${path.replace(/'/g, process.platform === 'win32' ? "''" : `'\\''`)}'`;
}
