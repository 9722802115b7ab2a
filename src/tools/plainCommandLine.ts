/**
 * The strict reading of a command line that rules allow by: only what means the same in every POSIX
 * shell (bash, zsh, sh, dash) and nothing the shell expands. Plain words (letters, digits and
 * `-_./=:,@%+`), '…' strings, "…" strings without `$`, backtick or `\`, and the operators `&&`, `||`,
 * `;` and `|` between commands. Anything else (`$`, backticks, `\`, redirections, `&`, parentheses,
 * braces, globs, `~`, `!`, `#`, line breaks) makes the line one a rule cannot judge for sure: it asks.
 */

export type PlainCommandLine = { plain: true; commands: string[][] } | { plain: false; why: string };

const PLAIN_CHAR = /[A-Za-z0-9\-_./=:,@%+]/;
const OPERATORS = ['&&', '||', ';', '|'];

export function plainCommandLine(line: string): PlainCommandLine {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) commands[commands.length - 1].push(word);
    word = undefined;
  };
  for (let at = 0; at < line.length; ) {
    const char = line[at];
    const operator = OPERATORS.find((op) => line.startsWith(op, at));
    if (char === ' ' || char === '\t') {
      endWord();
      at++;
    } else if (operator) {
      endWord();
      if (commands[commands.length - 1].length === 0) return { plain: false, why: `it has ${operator} where a command should be` };
      commands.push([]);
      at += operator.length;
    } else if (char === "'") {
      const end = line.indexOf("'", at + 1);
      if (end < 0) return { plain: false, why: 'it has an unclosed quote' };
      word = (word ?? '') + line.slice(at + 1, end);
      at = end + 1;
    } else if (char === '"') {
      const end = line.indexOf('"', at + 1);
      if (end < 0) return { plain: false, why: 'it has an unclosed quote' };
      const inner = line.slice(at + 1, end);
      const expanded = /[$`\\]/.exec(inner);
      if (expanded) return { plain: false, why: `it has ${expanded[0]} inside "…", which the shell expands` };
      word = (word ?? '') + inner;
      at = end + 1;
    } else if (PLAIN_CHAR.test(char)) {
      word = (word ?? '') + char;
      at++;
    } else {
      return { plain: false, why: `it has ${describe(char, line[at + 1])}, which rules do not judge` };
    }
  }
  endWord();
  if (commands[commands.length - 1].length === 0) {
    if (commands.length === 1) return { plain: false, why: 'it is empty' };
    return { plain: false, why: 'it ends with an operator' };
  }
  return { plain: true, commands };
}

function describe(char: string, next: string | undefined): string {
  if (char === '\n' || char === '\r') return 'a line break';
  if (char === '$' && (next === "'" || next === '"')) return `$${next}…${next}`;
  if (char === '<' && next === '>') return '<>';
  return char.trim() === '' ? `the character U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : char;
}
