/**
 * A `git diff` split into the sections of its files (`diff --git a/… b/…` up to the next one), each
 * with the paths it touches, relative to the repository's root, so each file can be checked on its own.
 */

export interface DiffSection {
  /** The file's path, and its old path too when the section renames or copies it. */
  paths: string[];
  /** The section's lines, from its `diff --git` header on, ending with a newline. */
  text: string;
}

const HEADER = /^diff --git /;

export function diffSections(diff: string): DiffSection[] {
  const lines = diff.split('\n');
  const sections: DiffSection[] = [];
  let current: string[] | undefined;
  const close = () => {
    if (current) sections.push({ paths: pathsOf(current), text: `${current.join('\n').replace(/\n*$/, '')}\n` });
  };
  for (const line of lines) {
    if (HEADER.test(line)) {
      close();
      current = [line];
    } else current?.push(line);
  }
  close();
  return sections;
}

/**
 * The paths a section names: in its `rename`/`copy` lines, its `---`/`+++` lines (`/dev/null` aside),
 * or, for a binary file or a mode change that has neither, its header (where both paths are the same).
 */
function pathsOf(section: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const line of section.slice(1)) {
    if (line.startsWith('@@')) break;
    const named = /^(?:rename|copy) (?:from|to) (.*)$/.exec(line);
    if (named) paths.add(unquoted(named[1]));
    // Git ends a name that holds a space with a tab, for `patch`.
    const side = /^(?:---|\+\+\+) (.*?)\t?$/.exec(line);
    if (side && side[1] !== '/dev/null') paths.add(withoutPrefix(unquoted(side[1])));
  }
  if (paths.size === 0) {
    const header = section[0].replace(HEADER, '');
    const quoted = /^("(?:[^"\\]|\\.)*") /.exec(header);
    if (quoted) paths.add(withoutPrefix(unquoted(quoted[1])));
    // `a/P b/P`: the two halves are the same path, so the split is in the middle.
    else paths.add(withoutPrefix(header.slice(0, (header.length - 1) / 2)));
  }
  return [...paths];
}

/** Git's prefixes: `a/`, `b/`, and with `diff.mnemonicPrefix` `i/`, `w/`, `c/`, `o/`. */
function withoutPrefix(path: string): string {
  return path.replace(/^[abiwco]\//, '');
}

/** A path as Git writes one with unusual characters: in quotes, C escapes and octal bytes in UTF-8. */
function unquoted(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, '\\': 92 };
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(escapes[body[i + 1]] ?? body.charCodeAt(i + 1));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
