/**
 * Commands no rule may approve, only a click: they reach outside the workspace, destroy what cannot be
 * undone, run text the rules cannot see as commands, or take over the machine. Judged on each simple
 * command of a line (see `commandLine.ts`).
 */
import type { SimpleCommand } from './commandLine';
import { AS_ANOTHER_USER, gitSubcommandAt, INTERPRETERS, programWords, SHELLS } from './commandPrograms';
import { secretReason } from './paths';

const DISK_TOOLS = /^(mkfs(\.\w+)?|mke2fs|mkswap|fdisk|sfdisk|cfdisk|gdisk|parted|wipefs|shred|diskutil|format)$/;
const POWER = new Set(['shutdown', 'reboot', 'halt', 'poweroff']);
/** Devices a command may write without harm. */
const HARMLESS_DEVICES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;

/** Why `part` must never run without a click, or undefined. */
export function dangerOf(part: SimpleCommand): string | undefined {
  for (const target of part.writes) {
    const where = outsideWorkspace(target);
    if (where) return `it writes ${where} (> ${target})`;
  }
  // Secrets-file consent stays per use: no rule lets a command read or write one (`cat .env`, `cat < .env`).
  for (const word of [...part.words, ...part.writes, ...part.reads]) {
    const path = word.slice(word.lastIndexOf('=') + 1);
    const reason = secretReason(path.split(/[\\/]+/).filter((segment) => segment !== ''));
    if (reason) return `it names ${path}, ${reason}, which may hold secrets`;
  }
  const { words, wrappers } = programWords(part.words);
  const [program = '', ...args] = words;
  const asUser = [...wrappers, program].find((name) => AS_ANOTHER_USER.has(name));
  if (asUser) return `it runs as another user (${asUser})`;
  if (part.piped && INTERPRETERS.has(program)) return `it pipes into ${program}, which runs whatever comes down the pipe`;
  if (program === 'eval' || program === 'source' || program === '.') return `it runs text as commands (${program})`;
  if (SHELLS.has(program) && args.some((arg) => /^-\w*c/.test(arg) || /^-(command|c)$/i.test(arg))) return `it runs a command string through ${program} -c, which rules cannot see into`;
  if (DISK_TOOLS.test(program)) return `it formats or wipes disks (${program})`;
  if (POWER.has(program) || (program === 'systemctl' && args.some((arg) => /^(poweroff|reboot|halt|suspend)$/.test(arg)))) return 'it shuts the machine down';
  if (program === 'dd' && args.some((arg) => arg.startsWith('of=') && outsideWorkspace(arg.slice(3)))) return 'it writes a device or a file outside the workspace with dd';
  if (program === 'rm' && args.some(isRecursiveFlag)) {
    if (args.includes('--no-preserve-root')) return 'it deletes recursively with --no-preserve-root';
    const target = args.filter((arg) => !arg.startsWith('-')).find(isBroadTarget);
    if (target !== undefined) return `it deletes recursively outside the workspace or all of it (rm -r ${target})`;
  }
  if ((program === 'chmod' || program === 'chown' || program === 'chgrp') && args.some(isRecursiveFlag)) {
    const target = args.filter((arg) => !arg.startsWith('-')).find(isBroadTarget);
    if (target !== undefined) return `it changes permissions recursively outside the workspace (${program} -R ${target})`;
  }
  if (program === 'tee' || program === 'cp' || program === 'mv' || program === 'ln' || program === 'install' || program === 'rsync') {
    const operands = args.filter((arg) => !arg.startsWith('-'));
    const written = program === 'tee' ? operands : operands.slice(-1);
    const target = written.find((arg) => outsideWorkspace(arg));
    if (target !== undefined) return `it writes ${outsideWorkspace(target)} (${program} … ${target})`;
  }
  if (program === 'git') return gitDanger(args);
  if ((program === 'kill' || program === 'pkill') && args.includes('-1')) return 'it signals every process of the user (kill -1)';
  if (program === 'killall5') return 'it signals every process';
  if (program === 'crontab' && args.includes('-r')) return 'it deletes the crontab';
  return undefined;
}

function gitDanger(args: string[]): string | undefined {
  const [sub, ...rest] = args.slice(gitSubcommandAt(args));
  if (sub === 'push' && rest.some((arg) => /^(-f|--force|--force-with-lease(=.*)?|--force-if-includes|--mirror|--delete|-d|--prune)$/.test(arg) || /^\+/.test(arg) || /^:/.test(arg) || /^-[a-z]*f/.test(arg))) {
    return 'it rewrites or deletes what is on the remote (git push --force)';
  }
  if (sub === 'reset' && rest.includes('--hard')) return 'it throws away uncommitted changes (git reset --hard)';
  if (sub === 'clean' && rest.some((arg) => /^-[a-z]*f/.test(arg) || arg === '--force')) return 'it deletes untracked files (git clean -f)';
  if (sub === 'checkout' && rest.includes('--') && rest.includes('.')) return 'it throws away uncommitted changes (git checkout -- .)';
  if (sub === 'config' && rest.some((arg) => /^core\.(hooksPath|fsmonitor|sshCommand|pager|editor)$/i.test(arg) || /^alias\./.test(arg))) return 'it makes git run commands of its choosing (git config)';
  return undefined;
}

function isRecursiveFlag(arg: string): boolean {
  return arg === '--recursive' || /^-[a-zA-Z]*[rR]/.test(arg);
}

/** A target that reaches past the workspace or takes the whole of it: `/`, `~`, `$HOME`, `..`, `.`, `*`. */
function isBroadTarget(arg: string): boolean {
  return outsideWorkspace(arg) !== undefined || /^(\.|\.\/|\*|\.\/\*|\.\*)$/.test(arg);
}

/** Where a path a command writes lies, when not in the workspace (or in Git's folder); undefined otherwise. */
export function outsideWorkspace(path: string): string | undefined {
  if (HARMLESS_DEVICES.test(path)) return undefined;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')) return 'outside the workspace';
  if (path.startsWith('~') || path.startsWith('$')) return 'outside the workspace';
  const segments = path.split(/[\\/]+/);
  let depth = 0;
  for (const segment of segments) {
    if (segment === '..') depth--;
    else if (segment !== '.' && segment !== '') depth++;
    if (depth < 0) return 'outside the workspace';
  }
  if (segments.includes('.git')) return "into Git's folder";
  return undefined;
}
