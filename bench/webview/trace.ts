/**
 * Main-thread work of a page, read from a Chromium trace of its top-level tasks. Times are the
 * thread's CPU time (`tdur`): on a shared machine, wall-clock task times mostly measure the other
 * processes. Wall-clock figures are kept beside them, and bound them.
 */
import type { Browser, Page } from 'playwright-core';

export interface MainThreadWork {
  /** CPU time the renderer's main thread spent running tasks. */
  busyMs: number;
  /** The same, wall-clock. */
  busyWallMs: number;
  /** The longest single task, in CPU time and wall-clock. */
  longestTaskMs: number;
  longestTaskWallMs: number;
  tasks: number;
  /** CPU time of the tasks in which the page set a `performance.mark` of the name asked for. */
  markedMs: number;
  markedTasks: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Runs `work` with tracing on and returns what it cost the renderer's main thread. */
export async function traceMainThread(browser: Browser, page: Page, work: () => Promise<unknown>, mark = ''): Promise<MainThreadWork> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] });
  await work();
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
  return mainThreadWork(trace.traceEvents, mark);
}

export function mainThreadWork(events: TraceEvent[], mark: string): MainThreadWork {
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = (e: TraceEvent) => mainThreads.has(`${e.pid}:${e.tid}`);
  const marks = events.filter((e) => mark !== '' && e.name === mark && onMain(e)).map((e) => e.ts).sort((a, b) => a - b);
  const tasks = events.filter((e) => e.ph === 'X' && e.dur !== undefined && e.name === 'ThreadControllerImpl::RunTask' && onMain(e)).sort((a, b) => a.ts - b.ts);
  const work: MainThreadWork = { busyMs: 0, busyWallMs: 0, longestTaskMs: 0, longestTaskWallMs: 0, tasks: 0, markedMs: 0, markedTasks: 0 };
  let end = -Infinity;
  let nextMark = 0;
  for (const task of tasks) {
    // A task run inside another (a nested loop) is already part of the outer one's time.
    if (task.ts < end) continue;
    end = task.ts + task.dur!;
    // A thread cannot run longer than the time that passed. On these virtual machines the thread
    // clock now and then jumps by tens of milliseconds inside a task of a few (a 6 ms frame read as
    // 110 ms of CPU, seen in traces); the wall clock, which the page's own long-task observer agrees
    // with, bounds it.
    const cpu = Math.min(task.tdur ?? task.dur!, task.dur!) / 1000;
    work.busyMs += cpu;
    work.busyWallMs += task.dur! / 1000;
    work.longestTaskMs = Math.max(work.longestTaskMs, cpu);
    work.longestTaskWallMs = Math.max(work.longestTaskWallMs, task.dur! / 1000);
    work.tasks++;
    while (nextMark < marks.length && marks[nextMark] < task.ts) nextMark++;
    if (nextMark < marks.length && marks[nextMark] <= end) {
      work.markedMs += cpu;
      work.markedTasks++;
    }
  }
  return work;
}
