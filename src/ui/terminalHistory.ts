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
      vscode.window.onDidStartTerminalShellExecution((event) => void this.follow(event)),
      vscode.window.onDidEndTerminalShellExecution((event) => {
        const ran = this.last.get(event.terminal);
        if (ran && ran.commandLine === event.execution.commandLine.value) {
          ran.ended = true;
          ran.exitCode = event.exitCode;
        }
      }),
    ];
  }

  /** `@terminal`: the active terminal's last command and output, or a note saying why there is none. */
  async content(): Promise<MentionContent> {
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
    // A quick command's output may all have come before its start event reached the extension, so
    // `read()` saw none of it: the terminal still has it.
    const output = ran.output.trim() === '' && ran.ended ? keepEnd(await copiedLastOutput(), MAX_TERMINAL_OUTPUT_CHARS) : ran.output;
    return {
      text: `$ ${ran.commandLine}\n${output}${output.endsWith('\n') ? '' : '\n'}`,
      languageId: 'text',
      description: `@terminal: the last command in the terminal "${terminal.name}" (${status}) and its output`,
    };
  }

  private async follow(event: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    const ran: RanCommand = { commandLine: event.execution.commandLine.value, output: '', ended: false };
    this.last.set(event.terminal, ran);
    let raw = '';
    for await (const chunk of event.execution.read()) {
      raw = (raw + chunk).slice(-MAX_TERMINAL_OUTPUT_CHARS * 2);
      ran.output = keepEnd(plainTerminalText(raw), MAX_TERMINAL_OUTPUT_CHARS);
    }
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
  }
}

/**
 * The active terminal's last command output, as its "Copy Last Command Output" command copies it; the
 * clipboard's text is put back after.
 */
async function copiedLastOutput(): Promise<string> {
  const saved = await vscode.env.clipboard.readText();
  try {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('workbench.action.terminal.copyLastCommandOutput');
    return plainTerminalText(await vscode.env.clipboard.readText());
  } catch {
    return '';
  } finally {
    await vscode.env.clipboard.writeText(saved);
  }
}

function keepEnd(text: string, max: number): string {
  return text.length <= max ? text : `[… the first ${text.length - max} characters are left out]\n${text.slice(-max)}`;
}
