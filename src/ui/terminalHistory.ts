/**
 * The last command each terminal ran and its output, through shell integration, for `@terminal`.
 * Listening starts with the first conversation of the session (VS Code hands out a command's output
 * only to whoever reads it while it runs), and keeps the latest few commands' text, bounded.
 */
import * as vscode from 'vscode';
import { plainTerminalText } from '../tools/terminalText';
import type { MentionContent } from './mentionResolver';

/** Output kept per command: enough for an error and its trace; the start is dropped first. */
export const MAX_TERMINAL_OUTPUT_CHARS = 20_000;

interface RanCommand {
  execution: vscode.TerminalShellExecution;
  commandLine: string;
  output: string;
  exitCode?: number;
  ended: boolean;
}

export class TerminalHistory implements vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, RanCommand>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      vscode.window.onDidStartTerminalShellExecution((event) => this.follow(event)),
      vscode.window.onDidEndTerminalShellExecution((event) => {
        const ran = this.last.get(event.terminal);
        // The same execution: its command line may have been read better by its end.
        if (ran?.execution === event.execution) {
          ran.ended = true;
          ran.exitCode = event.exitCode;
          ran.commandLine = event.execution.commandLine.value;
        }
      }),
    ];
  }

  /** `@terminal`: the active terminal's last command and output, or a note saying why there is none. */
  content(): MentionContent {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { note: 'No terminal is open, so @terminal has nothing to attach.' };
    const ran = this.last.get(terminal);
    if (!ran) {
      const why = terminal.shellIntegration
        ? 'no command has run in it since this chat started'
        : 'its shell has no shell integration, so its commands cannot be read (see VS Code\'s "terminal.integrated.shellIntegration.enabled")';
      return { note: `@terminal: nothing to attach from the terminal "${terminal.name}": ${why}.` };
    }
    const status = ran.ended ? (ran.exitCode === undefined ? 'ended' : `exit code ${ran.exitCode}`) : 'still running';
    const output = ran.output.trim() === '' ? (ran.ended ? '(no output captured)\n' : '(no output yet)\n') : ran.output;
    return {
      text: `$ ${ran.commandLine}\n${output}${output.endsWith('\n') ? '' : '\n'}`,
      languageId: 'text',
      description: `@terminal: the last command in the terminal "${terminal.name}" (${status}) and its output`,
    };
  }

  /**
   * Reads the execution's output from its start. `read()` is called here, in the start event's
   * handler and before anything is awaited: VS Code gives only the output written after that call.
   */
  private follow(event: vscode.TerminalShellExecutionStartEvent): void {
    const ran: RanCommand = { execution: event.execution, commandLine: event.execution.commandLine.value, output: '', ended: false };
    this.last.set(event.terminal, ran);
    void collect(event.execution.read(), (output) => (ran.output = output));
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
  }
}

/** The plain text of `chunks` as they come, its end kept, to `update`. */
async function collect(chunks: AsyncIterable<string>, update: (output: string) => void): Promise<void> {
  let raw = '';
  for await (const chunk of chunks) {
    raw = (raw + chunk).slice(-MAX_TERMINAL_OUTPUT_CHARS * 2);
    update(keepEnd(plainTerminalText(raw), MAX_TERMINAL_OUTPUT_CHARS));
  }
}

function keepEnd(text: string, max: number): string {
  return text.length <= max ? text : `[… the first ${text.length - max} characters are left out]\n${text.slice(-max)}`;
}
