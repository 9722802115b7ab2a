// The processes a script started, found and ended together: code-server forks an extension host, a pty
// host, a file watcher and terminals (some in sessions of their own), and an npm install forks
// compilers. Linux reads the tree from /proc; elsewhere only process groups are signalled.

import fs from 'node:fs';

/** Parent pid of every process, read from /proc (empty where there is none). */
function parentPids() {
  const parents = new Map();
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may contain spaces and parens, so split after the last ')'.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // ended meanwhile
    }
  }
  return parents;
}

/** The direct children of `pid`. */
export function childrenOf(pid) {
  return [...parentPids()].filter(([, ppid]) => ppid === pid).map(([child]) => child);
}

/** All descendants of `pid`, deepest last. */
export function descendants(pid) {
  const children = new Map();
  for (const [child, ppid] of parentPids()) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(child);
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Whether `pid` still runs: a zombie (ended, not yet reaped by its parent) does not. */
export function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // No /proc (not Linux), or it ended between the two looks.
    return !fs.existsSync('/proc');
  }
}

/**
 * SIGTERM the process group of `pid` and every descendant (some, like terminals, start their own
 * sessions), wait up to `graceMs`, then SIGKILL whatever is left.
 */
export async function killTree(pid, { graceMs = 3000 } = {}) {
  const pids = [pid, ...descendants(pid)];
  const signal = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // No such group: the tree is not a group of its own, or it has gone.
    }
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        // Already gone.
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isRunning)) await new Promise((r) => setTimeout(r, 50));
  if (pids.some(isRunning)) {
    // Pick up anything forked meanwhile.
    for (const p of descendants(pid)) if (!pids.includes(p)) pids.push(p);
    signal('SIGKILL');
  }
}
