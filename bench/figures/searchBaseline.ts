/**
 * The BASELINE the search figure compares with: `find_files` and `search_text` as they were before
 * they ran ripgrep, kept here only to be measured (nothing in src/ uses it). The listing stood on VS
 * Code's `findFiles` (a walk applying `files.exclude`), here a plain Node walk; then the hand-written
 * `.gitignore` matcher below (formerly src/tools/gitignore.ts); then, for `search_text`, every file
 * read, checked for NUL bytes and matched line by line with a JavaScript RegExp on the calling thread,
 * at most 5,000 files.
 */
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

const MAX_FILES_SEARCHED = 5_000;
const MAX_SEARCHED_BYTES = 1024 * 1024;

/** Files under `root` (relative, `/`-separated) whose name passes `keep`, skipping `excluded` folders, in path order. */
async function walk(root: string, excluded: ReadonlySet<string>, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const visit = async (relative: string) => {
    const entries = await fsp.readdir(path.join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!excluded.has(entry.name)) await visit(child);
      } else if (entry.isFile() && keep(entry.name)) {
        out.push(child);
      }
    }
  };
  await visit('');
  return out.sort((a, b) => a.localeCompare(b));
}

async function ignoreRulesOf(root: string, excluded: ReadonlySet<string>): Promise<IgnoreRules> {
  const rules = new IgnoreRules();
  for (const file of await walk(root, excluded, (name) => name === '.gitignore')) {
    rules.add(path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file), await fsp.readFile(path.join(root, file), 'utf8'));
  }
  return rules;
}

export async function baselineFindFiles(root: string, excluded: ReadonlySet<string>, keep: (name: string) => boolean, limit: number): Promise<string[]> {
  const rules = await ignoreRulesOf(root, excluded);
  return (await walk(root, excluded, keep)).filter((file) => !rules.ignores(file)).slice(0, limit);
}

export async function baselineSearchText(root: string, excluded: ReadonlySet<string>, query: string, limit: number, isRegex = false): Promise<string[]> {
  const regex = new RegExp(isRegex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const files = await baselineFindFiles(root, excluded, () => true, MAX_FILES_SEARCHED);
  const found: string[] = [];
  for (const file of files) {
    if (found.length >= limit) break;
    const full = path.join(root, file);
    if ((await fsp.stat(full)).size > MAX_SEARCHED_BYTES) continue;
    const bytes = await fsp.readFile(full);
    if (bytes.subarray(0, 8_000).includes(0)) continue;
    const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/);
    for (let i = 0; i < lines.length && found.length < limit; i++) {
      if (regex.exec(lines[i])) found.push(`${file}:${i + 1}: ${lines[i].trim()}`);
    }
  }
  return found;
}

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

class IgnoreRules {
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
