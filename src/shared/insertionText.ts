/** The text "Insert at Cursor" puts into an editor. */

/**
 * `code` as it should read when inserted after `linePrefix` (the text before the cursor on its line):
 * when the cursor sits in the line's indentation, the code's later lines get that indentation too, so
 * a block inserted inside a function lines up with it. Blank lines stay empty.
 */
export function insertionText(code: string, linePrefix: string): string {
  if (linePrefix === '' || /\S/.test(linePrefix)) return code;
  return code.replace(/\n(?=[^\n])/g, `\n${linePrefix}`);
}
