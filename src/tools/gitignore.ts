/**
 * `.gitignore` matching, because VS Code's stable `findFiles` does not apply ignore files (only
 * `files.exclude`; its ripgrep-backed variants that do are proposed API). Follows gitignore(5): last
 * matching rule wins, `!` re-includes, a trailing `/` matches directories only, a pattern with a `/`
 * before its end is anchored to its file's folder, and nothing inside an ignored directory can be
 * re-included.
 */

interface Rule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

interface RuleFile {
  /** Folder of the ignore file, relative to the root, `''` for the root; no trailing slash. */
  base: string;
  depth: number;
  rules: Rule[];
}

export class IgnoreRules {
  private files: RuleFile[] = [];

  /** Adds the rules of one ignore file found in `base` (root-relative, `/`-separated). */
  add(base: string, text: string): void {
    const clean = base.split('/').filter(Boolean).join('/');
    const rules = text.split(/\r?\n/).map(parseRule).filter((rule): rule is Rule => rule !== undefined);
    if (rules.length === 0) return;
    this.files.push({ base: clean, depth: clean ? clean.split('/').length : 0, rules });
    // Deeper files override shallower ones, so they are consulted last.
    this.files.sort((a, b) => a.depth - b.depth);
  }

  get empty(): boolean {
    return this.files.length === 0;
  }

  /** Whether a root-relative path is ignored, by its own rules or because a folder above it is. */
  ignores(path: string, isDirectory = false): boolean {
    const segments = path.split('/').filter(Boolean);
    for (let length = 1; length < segments.length; length++) {
      if (this.matches(segments.slice(0, length).join('/'), true)) return true;
    }
    return this.matches(segments.join('/'), isDirectory);
  }

  private matches(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const file of this.files) {
      if (file.base && !path.startsWith(`${file.base}/`)) continue;
      const relative = file.base ? path.slice(file.base.length + 1) : path;
      for (const rule of file.rules) {
        if (rule.directoryOnly && !isDirectory) continue;
        if (rule.regex.test(relative)) ignored = !rule.negated;
      }
    }
    return ignored;
  }
}

function parseRule(line: string): Rule | undefined {
  // Trailing spaces are dropped unless escaped with a backslash.
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  if (pattern === '') return undefined;
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\/+/, '');
  const body = globToRegex(pattern);
  return { regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`), negated, directoryOnly };
}

/** Gitignore glob syntax as a regular expression source, matching `/`-separated relative paths. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        // `**/` is any number of folders (none included); a final `/**` is everything inside.
        if (i + 2 === glob.length) out += '.*';
        else out += '(?:.*/)?';
        i += 2;
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (set.startsWith('!') || set.startsWith('^')) set = `^${set.slice(1)}`;
      out += `[${set}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]);
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
