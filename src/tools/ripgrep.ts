/**
 * `find_files` and `search_text` as ripgrep runs them: its arguments, and its output read as it
 * streams. Pure: the process itself is started in `ripgrepProcess.ts`.
 */

/** What both searches take from the workspace's settings. */
export interface SearchScope {
  /** Globs of `files.exclude` and `search.exclude`, left out of every search. */
  excludes: readonly string[];
  /** `search.useIgnoreFiles`: the folder's own `.gitignore` and `.ignore` files apply. */
  useIgnoreFiles: boolean;
  /** `search.useParentIgnoreFiles`: ignore files in the folders above the workspace folder apply too. */
  useParentIgnoreFiles: boolean;
  /** `search.useGlobalIgnoreFiles`: git's global excludes file (`core.excludesFile`) applies too. */
  useGlobalIgnoreFiles: boolean;
}

export interface TextQuery {
  query: string;
  isRegex?: boolean;
  caseSensitive?: boolean;
  /** Glob limiting the files searched. */
  include?: string;
}

/** Largest file searched (bytes): a search answers in seconds, and a match in a huge file helps nobody. */
export const MAX_SEARCHED_BYTES = 1024 * 1024;

/**
 * Git's folder and SSH folders are never entered, whatever the ignore files say; other files that may
 * hold secrets are dropped from the results by name (`secretReason`), so they can be counted.
 */
const NEVER_ENTERED = ['.git', '.ssh'];

/**
 * A glob as VS Code matches it, against the whole path below the folder (`*.ts` at the top level
 * only), in rg's terms: rg matches a glob without `/` at any depth unless it is anchored with one.
 * The anchor also keeps a leading `!` literal, so an include never turns into an exclusion.
 */
export function anchorGlob(glob: string): string {
  return glob.startsWith('**') || glob.startsWith('/') ? glob : `/${glob}`;
}

function scopeArgs(scope: SearchScope, include: string | undefined): string[] {
  const args = [
    // The include glob comes first: of several matching globs the last wins, so the exclusions beat it.
    // The `--flag=value` form: a value starting with `-` is never read as a flag.
    ...(include ? [`--glob=${anchorGlob(include)}`] : []),
    '--no-config', // a user's RIPGREP_CONFIG_PATH must not change what the tools see
    '--hidden', // dot-files are files like any other; `files.exclude` says which to leave out
    '--no-require-git', // `.gitignore` applies in a folder that is not (yet) a repository, as VS Code's search does
    ...NEVER_ENTERED.flatMap((name) => [`--iglob=!${name}`]),
    ...scope.excludes.flatMap((glob) => [`--glob=!${anchorGlob(glob)}`]),
  ];
  if (!scope.useIgnoreFiles) args.push('--no-ignore');
  // VS Code's defaults leave both out: a `~/.gitignore` of `*`, or a parent repository ignoring the
  // workspace folder, would otherwise hide every file.
  if (!scope.useParentIgnoreFiles) args.push('--no-ignore-parent');
  if (!scope.useGlobalIgnoreFiles) args.push('--no-ignore-global');
  // No `--follow`: a link is never entered, so `envlink -> .env` or `gitlink -> .git` is not searched.
  return args;
}

/** `rg --files`: the paths under the folder, NUL-separated, in path order. */
export function findFilesArgs(pattern: string | undefined, scope: SearchScope): string[] {
  return ['--files', '--null', '--sort', 'path', ...scopeArgs(scope, pattern), '.'];
}

/** `rg --files` unsorted: a set of paths, listed on all threads. */
export function listFilesArgs(scope: SearchScope): string[] {
  return ['--files', '--null', ...scopeArgs(scope, undefined), '.'];
}

/**
 * `rg --json`: matching lines as JSON events, each file's together. Not sorted: `--sort` would make rg
 * search on one thread, twice as slow; the caller orders what it keeps.
 */
export function searchTextArgs(query: TextQuery, scope: SearchScope): string[] {
  return [
    '--json',
    '--max-filesize',
    String(MAX_SEARCHED_BYTES),
    query.caseSensitive ? '--case-sensitive' : '--ignore-case',
    ...(query.isRegex ? [] : ['--fixed-strings']),
    ...scopeArgs(scope, query.include),
    `--regexp=${query.query}`,
    '.',
  ];
}

/** A path rg printed, relative to the folder searched, without its `./`. */
export function relativePath(printed: string): string {
  return printed.replace(/^\.[\\/]/, '').replace(/\\/g, '/');
}

export interface RipgrepMatch {
  /** Folder-relative, `/`-separated. */
  path: string;
  /** 1-based. */
  line: number;
  /** The whole line, without its line break. */
  text: string;
  /** Where the first match starts in `text` (characters). */
  column: number;
}

/** A `match` event's data as rg writes it; every field is checked before it is used. */
interface MatchData {
  path?: { text?: unknown; bytes?: unknown };
  lines?: { text?: unknown; bytes?: unknown };
  line_number?: unknown;
  submatches?: Array<{ start?: unknown } | undefined>;
}

/** One `--json` event: a match, or undefined for everything else (begin, end, context, summary). */
export function parseJsonEvent(line: string): RipgrepMatch | undefined {
  let event: { type?: unknown; data?: MatchData } | null;
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return undefined;
  }
  if (event?.type !== 'match' || !event.data) return undefined;
  const data = event.data;
  const path = textOf(data.path);
  const text = textOf(data.lines);
  if (path === undefined || text === undefined || typeof data.line_number !== 'number') return undefined;
  const first = data.submatches?.[0]?.start;
  const start = typeof first === 'number' ? first : 0;
  const body = text.replace(/\r?\n$/, '');
  // rg counts bytes; the line as JavaScript holds it counts UTF-16 units.
  const column = Buffer.byteLength(body) === body.length ? start : Buffer.from(body).subarray(0, start).toString().length;
  return { path: relativePath(path), line: data.line_number, text: body, column };
}

/** rg writes text as `{text}`, and bytes that are not UTF-8 as `{bytes}` (base64). */
function textOf(value: { text?: unknown; bytes?: unknown } | undefined): string | undefined {
  if (typeof value?.text === 'string') return value.text;
  if (typeof value?.bytes === 'string') return Buffer.from(value.bytes, 'base64').toString();
  return undefined;
}

/** Splits a byte stream into complete lines (or NUL-separated records), keeping the unfinished tail. */
export class RecordSplitter {
  private tail = '';
  constructor(private readonly separator: '\n' | '\0') {}

  push(chunk: string): string[] {
    const records = (this.tail + chunk).split(this.separator);
    this.tail = records.pop()!;
    return records.filter((record) => record !== '');
  }

  /** What is left once the stream has ended. */
  end(): string[] {
    const rest = this.tail;
    this.tail = '';
    return rest === '' ? [] : [rest];
  }
}

/**
 * What rg's error output means for the model. Its regex engine refuses look-around and
 * back-references rather than risk exponential time; the pattern is not rerun with `--pcre2`, whose
 * backtracking can take seconds a line.
 */
export function describeRipgrepError(stderr: string): string {
  const parse = /regex parse error:[\s\S]*?error: ([^\n]+)/.exec(stderr);
  if (parse) {
    return `The regular expression is not supported: ${parse[1].trim()}. Search uses ripgrep's regex syntax (Rust regex), which has no look-around or back-references; rewrite the pattern without them.`;
  }
  const glob = /error parsing glob '([^']*)': ([^\n]+)/.exec(stderr);
  if (glob) return `The glob ${glob[1]} is invalid: ${glob[2].trim()}.`;
  const first = stderr.split('\n').find((line) => line.trim() !== '') ?? 'no output';
  return `The search failed: ${first.trim()}`;
}
