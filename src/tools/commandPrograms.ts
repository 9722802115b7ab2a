/**
 * What the command rules know about programs: which run other commands or code of their choosing,
 * which write wherever their arguments say, and how to find the program a simple command really runs
 * behind shell keywords, assignments, wrappers (`sudo`, `env`, `timeout`…) and their options.
 */

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'ash', 'pwsh', 'powershell', 'cmd']);
/** Programs that run whatever they read: piping into them runs what came down the pipe. */
export const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'python2', 'perl', 'ruby', 'node', 'deno', 'bun', 'php', 'lua', 'osascript']);
export const AS_ANOTHER_USER = new Set(['sudo', 'su', 'doas', 'pkexec', 'runas', 'run0']);
/** Words that run the rest of the command line as a command of their own. */
export const WRAPPERS = new Set(['command', 'builtin', 'exec', 'nohup', 'time', 'nice', 'ionice', 'timeout', 'stdbuf', 'env', 'xargs', 'watch', 'strace', 'chronic', 'unbuffer', 'flock', 'setsid']);

/**
 * Programs a rule of theirs would let run anything or write anywhere, so "Always allow" never offers
 * one: interpreters, wrappers, programs with an option or script language that runs commands
 * (`find -exec`, `awk 'system()'`, `sed e`, `make VAR=…`, `tar --to-command`), and copiers.
 */
export const RUNS_ANYTHING = new Set([
  ...INTERPRETERS,
  ...AS_ANOTHER_USER,
  ...WRAPPERS,
  ...['npx', 'pnpx', 'bunx', 'uvx', 'pipx', 'ssh', 'scp', 'sftp', 'rsync', 'eval', 'source', '.', 'cd', 'pushd', 'popd'],
  ...['find', 'awk', 'gawk', 'mawk', 'nawk', 'sed', 'gsed', 'make', 'gmake', 'cmake', 'ninja', 'tar', 'zip', 'unzip', 'parallel', 'vim', 'vi', 'nvim', 'emacs', 'less', 'more', 'man'],
  ...['tee', 'cp', 'mv', 'ln', 'install', 'dd', 'rm', 'chmod', 'chown', 'chgrp', 'truncate', 'curl', 'wget'],
]);
/** Subcommands that run code named on the command line, not the workspace's own scripts. */
export const RUNS_ANYTHING_SUBCOMMANDS = new Set([
  'npm exec', 'npm x', 'pnpm exec', 'pnpm dlx', 'yarn exec', 'yarn dlx', 'bun x', 'deno eval', 'deno run', 'deno x',
  'uv run', 'uv tool', 'poetry run', 'pipenv run', 'conda run', 'docker run', 'docker exec', 'kubectl exec', 'git config', 'git submodule', 'git bisect', 'gh extension',
]);

const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', '!', '{', '}', 'select', 'function', 'coproc']);

/** Options of wrappers that take a value as the next word (`timeout -s KILL`, `env -u X`, `sudo -u root`). */
const WRAPPER_VALUE_OPTIONS: Record<string, string[]> = {
  sudo: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user', '--command-timeout'],
  doas: ['-u', '-C'],
  env: ['-u', '-C', '-S', '--unset', '--chdir', '--split-string'],
  timeout: ['-s', '-k', '--signal', '--kill-after'],
  nice: ['-n', '--adjustment'],
  ionice: ['-c', '-n', '-p', '--class', '--classdata'],
  stdbuf: ['-i', '-o', '-e'],
  xargs: ['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--replace'],
  watch: ['-n', '-d', '--interval'],
  strace: ['-e', '-o', '-p', '-s', '-u'],
  flock: ['-w', '-E', '-c'],
};

/** Git's own options before its subcommand that take the next word as their value. */
const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--exec-path', '--list-cmds', '--attr-source']);

export function isAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

/** A program's name as rules compare it: `/usr/bin/git` and `GIT.EXE` are `git`. */
export function baseName(word: string): string {
  return word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).toLowerCase().replace(/\.exe$/, '');
}

/**
 * The words of the program a simple command runs: past shell keywords, variable assignments and
 * wrappers with their options, the program as its base name; and the wrappers passed (whose
 * options this may not all know).
 */
export function programWords(words: readonly string[]): { words: string[]; wrappers: string[] } {
  let at = 0;
  const wrappers: string[] = [];
  for (;;) {
    while (at < words.length && (SHELL_KEYWORDS.has(words[at]) || isAssignment(words[at]))) at++;
    const word = words[at];
    if (word === undefined) return { words: [], wrappers };
    const name = baseName(word);
    if (!WRAPPERS.has(name) && !AS_ANOTHER_USER.has(name)) return { words: [name, ...words.slice(at + 1)], wrappers };
    wrappers.push(name);
    at++;
    const valued = WRAPPER_VALUE_OPTIONS[name] ?? [];
    // The wrapper's own options (`env -i`, `timeout 5`, `nice -n 10`) come before the program.
    while (at < words.length && (words[at].startsWith('-') || /^\d+(\.\d+)?[smhd]?$/.test(words[at]) || isAssignment(words[at]))) {
      at += valued.includes(words[at]) ? 2 : 1;
    }
  }
}

/** The subcommand of `git` and where it is, past git's own options (`-C dir`, `--no-pager`, `-c k=v`). */
export function gitSubcommandAt(args: readonly string[]): number {
  let at = 0;
  while (at < args.length && args[at].startsWith('-')) at += GIT_VALUE_OPTIONS.has(args[at]) ? 2 : 1;
  return at;
}

/**
 * Whether a deny rule names this simple command. Past a wrapper whose options may hide the program,
 * the rule is looked for at any word after it; with options before a subcommand, the rule's further
 * words may come after them: when in doubt, deny.
 */
export function denyRuleMatches(words: readonly string[], rule: string): boolean {
  const ruleWords = rule.split(' ');
  const program = programWords(words);
  const starts = program.wrappers.length > 0 ? program.words.map((_, index) => index) : [0];
  return starts.some((start) => matchesAt(program.words.slice(start), ruleWords));
}

function matchesAt(words: readonly string[], ruleWords: readonly string[]): boolean {
  const [program, ...args] = words;
  const name = program === undefined ? undefined : baseName(program);
  if (name === undefined || name !== baseName(ruleWords[0])) return false;
  if (ruleWords.length === 1) return true;
  const rest = ruleWords.slice(1);
  const exact = (from: number) => rest.every((word, index) => args[from + index] === word);
  if (name === 'git') return exact(gitSubcommandAt(args));
  if (exact(0)) return true;
  // `npm --prefix x publish`: options in front of the subcommand, whose values this does not know.
  return args[0]?.startsWith('-') === true && args.some((_, index) => exact(index));
}
