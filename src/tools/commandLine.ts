/**
 * A shell command line split into the simple commands it runs, as far as rules need to know them:
 * the parts between `;`, `&&`, `||`, `|`, `&`, line breaks and parentheses, and the commands inside
 * `$(…)`, backticks and `<(…)`, each with its words (quotes removed) and the files it redirects
 * output to. What the split cannot follow (an unclosed quote, a here-document, a function
 * definition) is reported, so that a rule never allows what was not understood.
 */

export interface SimpleCommand {
  /** The words, quotes and escapes removed; a substitution stands as `$(…)` (its command is a part of its own). */
  words: string[];
  /** Files the command writes through `>`, `>>`, `&>`, `>|`, `<>` (`2>` too). */
  writes: string[];
  /** Files the command reads through `<`. */
  reads: string[];
  /** Whether it reads another command's output through `|`. */
  piped: boolean;
}

export interface ParsedCommandLine {
  parts: SimpleCommand[];
  /** Why the line cannot be judged part by part; empty when it can. */
  problems: string[];
}

const SUBSTITUTION = '$(…)';

export function parseCommandLine(line: string): ParsedCommandLine {
  const parser = new Parser(line);
  parser.run();
  return { parts: parser.parts, problems: parser.problems };
}

class Parser {
  readonly parts: SimpleCommand[] = [];
  readonly problems: string[] = [];
  private at = 0;
  private words: string[] = [];
  private writes: string[] = [];
  private reads: string[] = [];
  private piped = false;
  private word: string | undefined;
  /** Where the next word goes: a command's words, a file written, or a file read. */
  private target: 'word' | 'write' | 'read' = 'word';

  constructor(
    private readonly text: string,
    private readonly depth = 0,
  ) {}

  run(): void {
    const { text } = this;
    while (this.at < text.length) {
      const char = text[this.at];
      const next = text[this.at + 1];
      if (char === ' ' || char === '\t') {
        this.endWord();
        this.at++;
      } else if (char === '\\') {
        // A backslash before a line break continues the line.
        if (next !== '\n') this.append(next ?? '');
        this.at += 2;
      } else if (char === '$' && next === "'") {
        // Bash's $'…': backslash escapes inside, so `\'` does not end it.
        const end = closingUnescaped(text, this.at + 2, "'");
        if (end < 0) return this.problem('it has an unclosed quote');
        this.append(text.slice(this.at + 2, end).replace(/\\(.)/gs, '$1'));
        this.at = end + 1;
      } else if (char === '$' && next === '"') {
        // Bash's $"…" (a translated string) reads as "…".
        this.at++;
      } else if (char === "'") {
        const end = text.indexOf("'", this.at + 1);
        if (end < 0) return this.problem('it has an unclosed quote');
        this.append(text.slice(this.at + 1, end));
        this.at = end + 1;
      } else if (char === '"') {
        if (!this.doubleQuoted()) return this.problem('it has an unclosed quote');
      } else if (char === '`') {
        const end = closingUnescaped(text, this.at + 1, '`');
        if (end < 0) return this.problem('it has an unclosed backtick');
        this.substitute(text.slice(this.at + 1, end));
        this.at = end + 1;
      } else if ((char === '$' || char === '<' || char === '>') && next === '(') {
        const end = closingParen(text, this.at + 2);
        if (end < 0) return this.problem('it has an unclosed $(');
        this.substitute(text.slice(this.at + 2, end));
        this.at = end + 1;
      } else if (char === '#' && this.word === undefined) {
        const end = text.indexOf('\n', this.at);
        this.at = end < 0 ? text.length : end;
      } else if (char === '>' || (char === '&' && next === '>')) {
        this.redirect();
      } else if (char === '<') {
        if (next === '<' && text[this.at + 2] !== '<') return this.problem('it has a here-document');
        this.endFdWord();
        this.at += next === '<' ? 3 : next === '>' ? 2 : 1;
        // `<>` opens the file for reading and writing: `1<> ~/.bashrc` writes it.
        this.target = next === '>' ? 'write' : 'read';
      } else if (char === ';' || char === '&' || char === '|' || char === '\n' || char === '(' || char === ')') {
        if (char === '(' && this.word === undefined && this.words.length > 0 && text.slice(this.at + 1).trimStart().startsWith(')')) {
          return this.problem('it defines a shell function');
        }
        if (char === '(' && this.word !== undefined) return this.problem('it defines a shell function');
        this.endPart();
        const double = (char === '&' || char === '|') && next === char;
        this.piped = char === '|' && !double;
        this.at += double || (char === '|' && next === '&') ? 2 : 1;
      } else if ((char === '{' || char === '}') && this.word === undefined && isWordEnd(next)) {
        this.endPart();
        this.at++;
      } else {
        this.append(char);
        this.at++;
      }
    }
    this.endPart();
  }

  private problem(why: string): void {
    this.problems.push(why);
    this.at = this.text.length;
  }

  private append(chars: string): void {
    this.word = (this.word ?? '') + chars;
  }

  private substitute(inner: string): void {
    this.append(SUBSTITUTION);
    if (this.depth > 20) return this.problem('its substitutions nest too deeply');
    const parser = new Parser(inner, this.depth + 1);
    parser.run();
    this.parts.push(...parser.parts);
    this.problems.push(...parser.problems);
  }

  /** A "…" string from `this.at`: escapes and substitutions inside it count, and it is one word (or part of one). */
  private doubleQuoted(): boolean {
    const { text } = this;
    let value = '';
    let at = this.at + 1;
    while (at < text.length && text[at] !== '"') {
      const char = text[at];
      if (char === '\\' && at + 1 < text.length) {
        value += '$`"\\\n'.includes(text[at + 1]) ? (text[at + 1] === '\n' ? '' : text[at + 1]) : `\\${text[at + 1]}`;
        at += 2;
      } else if (char === '`' || (char === '$' && text[at + 1] === '(')) {
        const start = char === '`' ? at + 1 : at + 2;
        const end = char === '`' ? closingUnescaped(text, start, '`') : closingParen(text, start);
        if (end < 0) return false;
        this.append(value);
        value = '';
        this.substitute(text.slice(start, end));
        at = end + 1;
      } else {
        value += char;
        at++;
      }
    }
    if (at >= text.length) return false;
    this.append(value);
    // An empty "" is still a word.
    this.word ??= '';
    this.at = at + 1;
    return true;
  }

  /** `>`, `>>`, `>|`, `&>`, `&>>`, `2>`, `>&2`: the next word is a file written, unless it names a descriptor. */
  private redirect(): void {
    const { text } = this;
    this.endFdWord();
    if (text[this.at] === '&') this.at++;
    this.at++;
    if (text[this.at] === '>' || text[this.at] === '|') this.at++;
    if (text[this.at] === '&') {
      // `>&2`, `>&-`: to another descriptor. `>& file` writes the file.
      const rest = /^&\s*(\d+|-)(?![^\s;&|<>()])/.exec(text.slice(this.at));
      if (rest) {
        this.at += rest[0].length;
        return;
      }
      this.at++;
    }
    this.target = 'write';
  }

  /** A word of digits right before `>` or `<` is the descriptor redirected, not an argument. */
  private endFdWord(): void {
    if (this.word !== undefined && /^\d+$/.test(this.word)) this.word = undefined;
    this.endWord();
  }

  private endWord(): void {
    if (this.word === undefined) return;
    if (this.target === 'write') this.writes.push(this.word);
    else if (this.target === 'read') this.reads.push(this.word);
    else if (this.target === 'word') this.words.push(this.word);
    this.target = 'word';
    this.word = undefined;
  }

  private endPart(): void {
    this.endWord();
    if (this.words.length > 0 || this.writes.length > 0 || this.reads.length > 0) this.parts.push({ words: this.words, writes: this.writes, reads: this.reads, piped: this.piped });
    this.words = [];
    this.writes = [];
    this.reads = [];
    this.piped = false;
    this.target = 'word';
  }
}

function isWordEnd(char: string | undefined): boolean {
  return char === undefined || ' \t\n;&|()'.includes(char);
}

/** The next `closer` from `from` that no backslash escapes (a backtick, or the ' that ends $'…'). */
function closingUnescaped(text: string, from: number, closer: string): number {
  for (let at = from; at < text.length; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === closer) return at;
  }
  return -1;
}

/** The `)` that closes a `(` opened just before `from`, past nested parentheses and quotes. */
function closingParen(text: string, from: number): number {
  let depth = 1;
  for (let at = from; at < text.length; at++) {
    const char = text[at];
    if (char === '\\') at++;
    else if (char === "'") {
      at = text.indexOf("'", at + 1);
      if (at < 0) return -1;
    } else if (char === '"') {
      for (at++; at < text.length && text[at] !== '"'; at++) if (text[at] === '\\') at++;
      if (at >= text.length) return -1;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return at;
  }
  return -1;
}
