// `@terminal` from shell integration's events, with executions that, as VS Code's do, give only the
// output written after `read()` was called: the output is read from the start event on, and a
// command that printed nothing says so, never touching the clipboard.
import * as assert from 'node:assert/strict';
import { sharedFakeVscode } from '../fixtures/fakeVscode';

/** An execution whose `read()` yields what is written after the call, until it ends. */
class FakeExecution {
  readonly commandLine: { value: string; confidence: number; isTrusted: boolean };
  private readonly readers: Array<{ chunks: string[]; ended: boolean; wake?: () => void }> = [];
  constructor(commandLine: string) {
    this.commandLine = { value: commandLine, confidence: 2, isTrusted: true };
  }
  read(): AsyncIterable<string> {
    const reader: { chunks: string[]; ended: boolean; wake?: () => void } = { chunks: [], ended: false };
    this.readers.push(reader);
    return (async function* () {
      for (;;) {
        const chunk = reader.chunks.shift();
        if (chunk !== undefined) yield chunk;
        else if (reader.ended) return;
        else await new Promise<void>((wake) => (reader.wake = wake));
      }
    })();
  }
  write(chunk: string): void {
    for (const reader of this.readers) {
      reader.chunks.push(chunk);
      reader.wake?.();
    }
  }
  end(): void {
    for (const reader of this.readers) {
      reader.ended = true;
      reader.wake?.();
    }
  }
}

describe('@terminal: the last command and its output', () => {
  const fake = sharedFakeVscode();
  const vscode = fake.api;
  const terminal = { name: 'bash', shellIntegration: {} };
  let start: (event: unknown) => void = () => {};
  let end: (event: unknown) => void = () => {};
  let history: { content(): unknown; dispose(): void };
  const text = async () => JSON.stringify(await history.content());

  before(async () => {
    vscode.window.onDidStartTerminalShellExecution = (listener: typeof start) => ((start = listener), { dispose() {} });
    vscode.window.onDidEndTerminalShellExecution = (listener: typeof end) => ((end = listener), { dispose() {} });
    vscode.window.activeTerminal = terminal;
    const { TerminalHistory } = await import('../../src/ui/terminalHistory');
    history = new TerminalHistory();
  });
  after(() => {
    history.dispose();
    vscode.window.activeTerminal = undefined;
  });

  /** Runs `commandLine` as the shell does: start, its output, end; resolves when the text is read. */
  const run = async (commandLine: string, chunks: string[], exitCode = 0) => {
    const execution = new FakeExecution(commandLine);
    start({ terminal, execution, shellIntegration: terminal.shellIntegration });
    for (const chunk of chunks) execution.write(chunk);
    execution.end();
    end({ terminal, execution, shellIntegration: terminal.shellIntegration, exitCode });
    // The output is collected as the chunks are yielded: wait until the last is in.
    for (let turn = 0; turn < 100 && !(await text()).includes(JSON.stringify(chunks.join('').trim()).slice(1, -1)); turn++) await new Promise(setImmediate);
    return (await history.content()) as { text: string; description: string };
  };

  it('reads a quick command\'s output from its start event', async () => {
    const content = await run('echo mention-$((6*7))', ['\x1b]633;C\x07', 'mention-42\r\n']);
    assert.equal(content.text, '$ echo mention-$((6*7))\nmention-42\n');
    assert.match(content.description, /\(exit code 0\)/);
  });

  it('says a command printed nothing, and leaves the clipboard alone', async () => {
    const before = fake.calls.length;
    const content = await run('true', [], 1);
    assert.equal(content.text, '$ true\n(no output captured)\n');
    assert.match(content.description, /\(exit code 1\)/);
    assert.deepEqual(fake.calls.slice(before).filter((call) => call.includes('clipboard') || call.includes('executeCommand')), []);
  });
});
