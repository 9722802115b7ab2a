/**
 * Ending a command and everything it started: the processes below a root are found by their parent
 * ids (Linux's /proc, `ps` elsewhere, `taskkill /T` on Windows), sent SIGTERM, and those still there
 * after a grace period SIGKILL. The tree is read before any signal, since children whose parent died
 * are handed to init and no longer look like part of it.
 */
import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';

export const KILL_GRACE_MS = 2_000;

/** Every process below `root` (not `root` itself), parents before their children. */
export async function descendantsOf(root: number): Promise<number[]> {
  const parents = await parentIds();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (found.includes(child)) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function parentIds(): Promise<Array<[number, number]>> {
  if (process.platform === 'linux') {
    const entries = await fs.readdir('/proc').catch(() => [] as string[]);
    const stats = await Promise.all(
      entries.filter((entry) => /^\d+$/.test(entry)).map(async (entry) => fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')),
    );
    // `pid (name) state ppid …`; the name may hold spaces and parentheses, so read after the last `)`.
    return stats.flatMap((stat) => {
      const match = /^(\d+) .*\) \S+ (\d+)/s.exec(stat);
      return match ? [[Number(match[1]), Number(match[2])] as [number, number]] : [];
    });
  }
  const out = await new Promise<string>((resolve) => execFile('ps', ['-A', '-o', 'pid=,ppid='], (error, stdout) => resolve(error ? '' : stdout)));
  return out.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)/.exec(line);
    return match ? [[Number(match[1]), Number(match[2])] as [number, number]] : [];
  });
}

/** Whether `pid` still runs; an exited process no one has reaped yet (a zombie) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    return !/^\d+ .*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Ends `root`'s tree: its descendants, and `root` too unless `keepRoot` (a terminal's shell, which
 * stays for the next command); with `group`, its process group too. Resolves once all are gone or were sent SIGKILL.
 */
export async function killTree(root: number, options: { keepRoot?: boolean; group?: boolean; graceMs?: number } = {}): Promise<void> {
  if (process.platform === 'win32') {
    if (options.keepRoot) {
      for (const pid of await descendantsOf(root)) await taskkill(pid);
    } else {
      await taskkill(root);
    }
    return;
  }
  const pids = [...(options.keepRoot ? [] : [root]), ...(await descendantsOf(root))];
  // The group reaches children that already left the tree (their parent exited) but not the group.
  if (options.group) signal(-root, 'SIGTERM');
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? KILL_GRACE_MS);
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (options.group) signal(-root, 'SIGKILL');
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
}

/**
 * Ends a process group at once, without waiting (for when the extension host is going away): SIGTERM
 * and SIGKILL right after it, so nothing in the group outlives it. On Windows, where there are no
 * groups, `taskkill /T` is started and not waited for.
 */
export function killGroupNow(leader: number): void {
  if (process.platform === 'win32') {
    execFile('taskkill', ['/pid', String(leader), '/T', '/F'], () => undefined);
    return;
  }
  signal(-leader, 'SIGTERM');
  signal(-leader, 'SIGKILL');
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

function taskkill(pid: number): Promise<void> {
  return new Promise((resolve) => execFile('taskkill', ['/pid', String(pid), '/T', '/F'], () => resolve()));
}
