/**
 * Terminal output as the model reads it: escape sequences removed and carriage-return redraws
 * (progress bars, spinners) collapsed to what the terminal finally shows on each line.
 */

// CSI (`ESC [` or the 8-bit `0x9b`, parameters, intermediates, a final byte); OSC, DCS, SOS, PM and
// APC strings up to BEL or ST (shell integration's `ESC ] 633;…` marks included); and the remaining
// two-byte escapes (`ESC 7`, `ESC (B`, …).
// eslint-disable-next-line no-control-regex
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[ -/]*[0-~]?/g;
// Other control characters but tab, line feed and carriage return (handled below), and backspace.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f]/g;

// "Erase to the end of the line", which redraws use after a carriage return; kept as a mark until then.
// eslint-disable-next-line no-control-regex
const ERASE_LINE = /\x1b\[0?K/g;
const ERASE_MARK = '\uE000';

/** `text` without escape sequences or control characters, each line as its last redraw left it. */
export function plainTerminalText(text: string): string {
  const plain = text.replace(ERASE_LINE, ERASE_MARK).replace(ESCAPES, '').replace(CONTROLS, '').replace(/\r+\n/g, '\n');
  return plain.includes('\r') || plain.includes(ERASE_MARK) ? plain.split('\n').map(collapseRedraws).join('\n') : plain;
}

/**
 * A line with carriage returns, as a terminal shows it: each return goes back to the start of the
 * line, what follows writes over what was there, and an erase mark clears the rest of the line.
 */
function collapseRedraws(line: string): string {
  let shown = '';
  for (const pass of line.split('\r')) {
    let cursor = 0;
    pass.split(ERASE_MARK).forEach((segment, index) => {
      if (index > 0) shown = shown.slice(0, cursor);
      shown = shown.slice(0, cursor) + segment + shown.slice(cursor + segment.length);
      cursor += segment.length;
    });
  }
  return shown;
}
