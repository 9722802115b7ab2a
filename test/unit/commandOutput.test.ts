import * as assert from 'node:assert/strict';
import { OutputCapture } from '../../src/tools/outputCapture';
import { plainTerminalText } from '../../src/tools/terminalText';

describe('terminal output as the model reads it', () => {
  it('drops colours, cursor moves and other CSI sequences', () => {
    assert.equal(plainTerminalText('\x1b[1;31merror\x1b[0m: \x1b[2Kbad\x1b[?25l\x1b[3A\x9b32mok\x9b0m'), 'error: badok');
  });

  it("drops OSC strings ended by BEL or ST, shell integration's 633 marks and window titles included", () => {
    assert.equal(plainTerminalText('\x1b]633;C\x07out\x1b]633;D;0\x07\x1b]0;user@host: ~\x1b\\ put\x1b]8;;https://x\x07link\x1b]8;;\x07'), 'out putlink');
  });

  it('drops two-byte escapes and control characters, keeping tabs and line breaks', () => {
    assert.equal(plainTerminalText('a\x1b(Bb\x1b7c\x1b8\x07\x00d\te\r\nf\x7f'), 'abcd\te\nf');
  });

  it('collapses carriage-return redraws to what the terminal shows last', () => {
    assert.equal(plainTerminalText('Downloading  10%\rDownloading  50%\rDownloading 100%\ndone\n'), 'Downloading 100%\ndone\n');
    assert.equal(plainTerminalText('abcdef\rXY'), 'XYcdef');
    assert.equal(plainTerminalText('spinner |\r\x1b[Kspinner /\r\x1b[Kfinished\n'), 'finished\n');
  });
});

describe('command output within a fixed size', () => {
  const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

  it('keeps short output whole', () => {
    const capture = new OutputCapture({ headChars: 100, tailChars: 100 });
    capture.add('one\n');
    capture.add('two');
    assert.equal(capture.text(), 'one\ntwo');
  });

  it('keeps the first and last lines of long output, and counts the lines left out between them', () => {
    const capture = new OutputCapture({ headChars: 50, tailChars: 50 });
    const all = lines(1, 1000);
    for (let at = 0; at < all.length; at += 7) capture.add(all.slice(at, at + 7));
    const text = capture.text();
    const kept = text.split('\n');
    const gap = kept.findIndex((line) => line.startsWith('…'));
    const head = kept.slice(0, gap);
    const tail = kept.slice(gap + 1).filter((line) => line !== '');
    assert.deepEqual(head, ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
    assert.equal(tail.at(-1), 'line 1000');
    const firstTail = Number(tail[0].slice(5));
    assert.equal(kept[gap], `… ${firstTail - 8} lines left out …`);
    assert.deepEqual(tail, Array.from({ length: 1001 - firstTail }, (_, i) => `line ${firstTail + i}`));
  });

  it('holds 10 MB in a bounded buffer, and says how much of a line without breaks was left out', () => {
    const capture = new OutputCapture({ headChars: 1_000, tailChars: 2_000 });
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) capture.add(chunk);
    assert.equal(capture.received, 160 * chunk.length);
    const text = capture.text();
    assert.ok(text.length < 3_100, `${text.length} characters`);
    assert.match(text, new RegExp(`^x{1000}\\n… ${160 * chunk.length - 3_000} characters left out …\\nx{2000}$`));
  });

  it('strips what it keeps', () => {
    const capture = new OutputCapture({ headChars: 20, tailChars: 20 });
    capture.add('\x1b[32mgreen\x1b[0m\n');
    assert.equal(capture.text(), 'green\n');
  });
});
