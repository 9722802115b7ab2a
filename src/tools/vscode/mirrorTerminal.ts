/**
 * The terminal that shows a command run as a child process (where shell integration did not come
 * up): a `Pseudoterminal` that echoes the command line and mirrors its output, so the user still
 * watches it run. Ctrl+C in it stops the command. What it mirrors per command is bounded, so that a
 * command printing megabytes does not flood the terminal renderer.
 */
import * as vscode from 'vscode';

/** Characters mirrored per command; the rest is in the tool result (head and tail). */
const MIRROR_LIMIT = 1024 * 1024;

export class MirrorTerminal implements vscode.Disposable {
  readonly terminal: vscode.Terminal;
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly opened: Promise<void>;
  private mirrored = 0;
  private interrupt: (() => void) | undefined;

  constructor(name: string) {
    let open = () => {};
    this.opened = new Promise((resolve) => (open = resolve));
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writes.event,
      open: () => open(),
      close: () => this.interrupt?.(),
      handleInput: (data) => {
        if (data === '\x03') this.interrupt?.();
      },
    };
    this.terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('terminal'), isTransient: true });
  }

  /** Starts a command's section: its folder and command line, as a prompt would show them. */
  begin(command: string, cwd: string, onInterrupt: () => void): void {
    this.mirrored = 0;
    this.interrupt = onInterrupt;
    this.write(`\x1b[2m${cwd}\x1b[0m\r\n$ ${command}\r\n`);
  }

  output(chunk: string): void {
    if (this.mirrored >= MIRROR_LIMIT) return;
    this.mirrored += chunk.length;
    const shown = this.mirrored >= MIRROR_LIMIT ? `${chunk}\n[… more output, not shown here: the tool result keeps its first and last lines …]\n` : chunk;
    this.write(shown.replace(/\r?\n/g, '\r\n'));
  }

  end(status: string): void {
    this.interrupt = undefined;
    this.write(`\r\n\x1b[2m[${status}]\x1b[0m\r\n\r\n`);
  }

  private write(text: string): void {
    // What is written before VS Code opens the terminal would be lost.
    void this.opened.then(() => this.writes.fire(text));
  }

  dispose(): void {
    this.terminal.dispose();
    this.writes.dispose();
  }
}
