/**
 * What keeps a plain command (see `plainCommandLine.ts`) from being allowed by a rule even when a
 * rule's prefix matches it: it names a path outside the workspace (absolute, `~`, a `..` step) or one
 * that may hold secrets, it changes folder, or it passes an argument that makes a narrowly allowed
 * program run a command of its choosing (`git -c core.pager=…`, `find -exec`, `make --eval`).
 */
import { baseName, gitSubcommandAt } from './commandPrograms';
import { secretReason } from './paths';

const CHANGES_FOLDER = new Set(['cd', 'pushd', 'popd']);

/** Per program: options (exact, `--name=value`, or a short one with its value attached) that run commands or change where it works. */
const RUNS_COMMANDS: Record<string, string[]> = {
  git: ['--output', '--open-files-in-pager', '--upload-pack', '--receive-pack', '--exec', '--ext-diff', '--textconv', '--template', '--separate-git-dir'],
  find: ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'],
  make: ['--eval', '-E', '-f', '--file', '--makefile', '-C', '--directory', '-I', '--include-dir'],
  go: ['-exec', '-toolexec', '-C', '-modfile', '-overlay'],
  npm: ['--prefix', '-C', '-c', '--call', '--script-shell', '--userconfig', '--globalconfig', '--node-options'],
  pnpm: ['--prefix', '-C', '--dir', '-c', '--call', '--script-shell'],
  yarn: ['--cwd', '--prefix', '-c', '--call'],
  cargo: ['--config', '-Z', '--manifest-path', '-C'],
};
/** Git's own options, before its subcommand, that run commands (`-c core.pager=…`) or pick another repository. */
const GIT_OWN_OPTIONS = ['-c', '--config-env', '--exec-path', '-C', '--git-dir', '--work-tree', '--namespace', '--super-prefix'];
/** Git's short options that run a command in one subcommand only (`git grep -O`, `git clone -u`, `git rebase -x`). */
const GIT_SUBCOMMAND_OPTIONS: Record<string, string[]> = { grep: ['-O'], clone: ['-u'], fetch: ['-u'], pull: ['-u'], 'ls-remote': ['-u'], rebase: ['-x'], archive: ['-o'] };

/** Why a rule may not allow `words`, one plain simple command; undefined when it may. */
export function whyNoRuleAllows(words: readonly string[]): string | undefined {
  const program = baseName(words[0] ?? '');
  if (CHANGES_FOLDER.has(program)) return `it changes folder (${program}), and rules judge paths from the command's own folder`;
  for (const word of words) {
    const outside = outsidePath(word);
    if (outside) return `it names ${word}, ${outside}`;
    for (const path of pathsIn(word)) {
      const reason = secretReason(path.split('/').filter((segment) => segment !== '' && segment !== '.'));
      if (reason) return `it names ${path}, ${reason}, which may hold secrets`;
    }
  }
  const args = words.slice(1);
  const subcommandAt = program === 'git' ? gitSubcommandAt(args) : 0;
  const subcommand = program === 'git' ? args[subcommandAt] : undefined;
  const risky = [...(RUNS_COMMANDS[program] ?? []), ...((subcommand !== undefined && GIT_SUBCOMMAND_OPTIONS[subcommand]) || [])];
  const found =
    args.slice(0, subcommandAt).find((word) => GIT_OWN_OPTIONS.some((option) => isOption(word, option))) ??
    args.slice(subcommandAt).find((word) => risky.some((option) => isOption(word, option)));
  if (found !== undefined) return `${program} ${found} can make it run a command or work outside its folder`;
  if (program === 'git' && args.some((word) => /^(ext|fd)::/.test(word))) return 'a git ext:: or fd:: address runs a command';
  return undefined;
}

/** `word` is `option`, `option=value`, or (a short option) `-Xvalue`. */
function isOption(word: string, option: string): boolean {
  return word === option || word.startsWith(`${option}=`) || (/^-[A-Za-z]$/.test(option) && word.startsWith(option));
}

/** Why `word` reaches outside the workspace: absolute, from `~`, or with a `..` step, also as an option's value. */
function outsidePath(word: string): string | undefined {
  if (word.startsWith('~')) return 'in a home folder';
  for (const path of pathsIn(word)) {
    if (path.startsWith('/') && path !== '/dev/null') return 'an absolute path';
    if (path.split('/').includes('..')) return 'which steps out of the folder with ..';
  }
  return undefined;
}

/**
 * The paths a word may stand for: itself, the value after `=` (`--out=x`), after a short option's
 * letter (`-o/x`) and in a `file:` address; other addresses (`https://…`) are not paths.
 */
function pathsIn(word: string): string[] {
  const paths = [word];
  const equals = word.indexOf('=');
  if (equals >= 0) paths.push(word.slice(equals + 1));
  const short = /^-[A-Za-z0-9]+(.*)$/.exec(word);
  if (short && !word.startsWith('--')) paths.push(short[1]);
  for (const path of [...paths]) {
    const address = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(path);
    if (address) {
      paths.splice(paths.indexOf(path), 1);
      if (address[1].toLowerCase() === 'file') paths.push(address[2].replace(/^\/\/[^/]*/, ''));
      else if (!address[2].startsWith('//')) paths.push(address[2]);
    }
  }
  return paths.filter((path) => path !== '');
}

/** The words of a plain command that may name files (not its program, not bare options), with option values. */
export function pathCandidates(words: readonly string[]): string[] {
  return words.slice(1).flatMap((word) => pathsIn(word).filter((path) => !path.startsWith('-')));
}
