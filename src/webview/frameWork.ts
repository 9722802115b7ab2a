/**
 * Rendering spread over animation frames. Each frame gives the work waiting a bounded share of time,
 * so input, scrolling and painting go on between; whatever is left runs in the next frame.
 */

/** A frame's share for the work, well under the 50 ms that counts as a long task. */
const FRAME_BUDGET_MS = 8;

/** Some work: does what it can until `outOfTime()`, and says whether any is left. */
export type FrameTask = (outOfTime: () => boolean) => boolean;

const waiting = new Set<FrameTask>();
let frame: number | undefined;
let around: (run: () => void) => void = (run) => run();

function budget(): () => boolean {
  const deadline = performance.now() + FRAME_BUDGET_MS;
  return () => performance.now() >= deadline;
}

/** Runs `task` now, within a frame's budget, and then in later frames until it is done. */
export function runInFrames(task: FrameTask): void {
  if (waiting.has(task)) return;
  if (!task(budget())) return;
  waiting.add(task);
  frame ??= requestAnimationFrame(runWaiting);
}

/** Wraps the work of each later frame: the page keeps the end of the conversation in view with it. */
export function aroundFrameWork(wrapper: (run: () => void) => void): void {
  around = wrapper;
}

function runWaiting(): void {
  frame = undefined;
  const outOfTime = budget();
  around(() => {
    for (const task of [...waiting]) if (!task(outOfTime)) waiting.delete(task);
  });
  if (waiting.size > 0) frame = requestAnimationFrame(runWaiting);
}
