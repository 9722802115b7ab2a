/**
 * Reads JSON that was cut off, as the official SDK's partial-JSON parser does: the complete values are
 * kept, the unfinished last one (a string, a number that may go on, a key without its value, a literal
 * such as `tru`) is dropped, and the open brackets are closed. Anything that is not a prefix of JSON is
 * refused rather than repaired.
 */

type Token =
  | { kind: 'open'; text: '{' | '[' }
  | { kind: 'close'; text: '}' | ']' }
  | { kind: 'colon' | 'comma' }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string; atEnd: boolean }
  | { kind: 'literal'; text: string };

const LITERALS = ['true', 'false', 'null'];
const WHITESPACE = /^[ \t\n\r]*$/;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** The value `text` holds once its unfinished end is dropped; undefined when it is not cut-off JSON. */
export function parsePartialJson(text: string): unknown {
  const tokens = tokenize(text);
  const closed = tokens && closeBrackets(dropUnfinishedEnd(tokens));
  if (!closed) return undefined;
  try {
    return JSON.parse(render(closed));
  } catch {
    return undefined;
  }
}

/** Null when the text holds anything but JSON tokens and whitespace outside its strings. */
function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '{' || char === '[') tokens.push({ kind: 'open', text: char });
    else if (char === '}' || char === ']') tokens.push({ kind: 'close', text: char });
    else if (char === ':') tokens.push({ kind: 'colon' });
    else if (char === ',') tokens.push({ kind: 'comma' });
    else if (char === '"') {
      const end = closingQuote(text, at + 1);
      // A string still open at the end is unfinished: it is dropped, with nothing after it to read.
      if (end === -1) return tokens;
      tokens.push({ kind: 'string', text: text.slice(at + 1, end) });
      at = end;
    } else if (/[0-9.-]/.test(char)) {
      const number = numberAt(text, at);
      at += number.length;
      tokens.push({ kind: 'number', text: number, atEnd: at === text.length });
      continue;
    } else if (/[a-zA-Z]/.test(char)) {
      const word = /^[a-zA-Z]+/.exec(text.slice(at))![0];
      at += word.length;
      if (LITERALS.includes(word)) tokens.push({ kind: 'literal', text: word });
      else if (!(LITERALS.some((literal) => literal !== word && literal.startsWith(word)) && WHITESPACE.test(text.slice(at)))) return null;
      continue;
    } else if (!WHITESPACE.test(char)) return null;
    at++;
  }
  return tokens;
}

/** The number starting at `from`: digits, `.` and exponent markers, a sign only first or after the marker. */
function numberAt(text: string, from: number): string {
  let end = text[from] === '-' ? from + 1 : from;
  while (end < text.length && (/[0-9.eE]/.test(text[end]) || (/[-+]/.test(text[end]) && /[eE]/.test(text[end - 1])))) end++;
  return text.slice(from, end);
}

/** Where the string opened before `from` ends: the first `"` after an even number of backslashes. */
function closingQuote(text: string, from: number): number {
  for (let end = text.indexOf('"', from); end !== -1; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (end - 1 - backslashes >= from && text[end - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return -1;
}

function dropUnfinishedEnd(tokens: Token[]): Token[] {
  const open: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'open') open.push(token.text);
    else if (token.kind === 'close') open.pop();
  }
  const inObject = open.at(-1) === '{';
  let length = tokens.length;
  while (length > 0) {
    const last = tokens[length - 1];
    if (last.kind === 'colon') {
      length--;
      continue;
    }
    // More digits may follow a number that runs to the end, and `1.` or `1e-` will never be one.
    if (last.kind === 'number' && (last.atEnd || !JSON_NUMBER.test(last.text))) {
      length--;
      continue;
    }
    if (last.kind === 'string' && inObject) {
      // In an object, a string after `{` or `,` is a key still waiting for its value.
      const before = tokens[length - 2];
      if (before?.kind === 'comma' || (before?.kind === 'open' && before.text === '{')) {
        length--;
        continue;
      }
    }
    // Whatever precedes a comma is complete.
    if (last.kind === 'comma') length--;
    break;
  }
  return tokens.slice(0, length);
}

/** Null when a closing bracket does not match the innermost open one. */
function closeBrackets(tokens: Token[]): Token[] | null {
  const closers: Array<'}' | ']'> = [];
  for (const token of tokens) {
    if (token.kind === 'open') closers.push(token.text === '{' ? '}' : ']');
    else if (token.kind === 'close' && closers.pop() !== token.text) return null;
  }
  return [...tokens, ...closers.reverse().map((text): Token => ({ kind: 'close', text }))];
}

function isScalar(token: Token | undefined): boolean {
  return token?.kind === 'string' || token?.kind === 'number' || token?.kind === 'literal';
}

function render(tokens: Token[]): string {
  return tokens
    .map((token, i) => {
      // Adjacent scalars stay apart, so that `12 3` still fails the strict parse.
      const gap = isScalar(tokens[i - 1]) && isScalar(token) ? ' ' : '';
      switch (token.kind) {
        case 'string':
          return `${gap}"${token.text}"`;
        case 'colon':
          return ':';
        case 'comma':
          return ',';
        default:
          return gap + token.text;
      }
    })
    .join('');
}
