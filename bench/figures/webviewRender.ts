/**
 * Webview render: 100 KB of answer-like markdown (prose, lists, 50 code blocks) in 20,000 deltas,
 * posted to the real Chat view page in headless Chromium as fast as it takes them; against the same
 * page re-rendering the whole message on every delta. Also: the final DOM must equal what the page
 * shows for the same answer restored in one go (a `state` message).
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview, TurnView } from '../../src/shared/protocol';
import { answer, deltasOf, random } from '../../test/fixtures/markdownCorpus';
import { bundles } from '../lib/bundles';
import type { BenchContext, Figure } from '../lib/figure';
import { formatMs, formatRatio, verdict } from '../lib/report';
import { median } from '../lib/stats';
import { startHarness, type Harness } from '../webview/harness';
import { traceMainThread, type MainThreadWork } from '../webview/trace';

export const TURN_ID = 'bench-turn';
/** The streamed answer's blocks, as laid out. */
export const ANSWER_SELECTOR = `.turn.assistant[data-turn-id="${TURN_ID}"] .answer`;
/** Messages per task: VS Code hands the webview each `postMessage` as a `message` event of its own. */
const PER_TASK = 1;
const LONG_TASK_MS = 50;

/** One streaming of the answer into a page: its main thread's work, and the longest tasks the page saw. */
export interface Run extends MainThreadWork {
  /** Wall-clock durations of the tasks over 50 ms, as the page's own long-task observer saw them. */
  longTasks: number[];
}

function turn(id: string, status: TurnView['answer']['status'], text: string): TurnView {
  return { id, prompt: { text: 'Write the design notes.' }, answer: { status, blocks: text ? [{ kind: 'text', text }] : [] } };
}

function state(turns: TurnView[]): HostToWebview {
  return { type: 'state', conversationId: 'bench', turns, busy: false, draft: '', attachments: [], settings: { thinking: false, mode: 'agent' } };
}

/** Hands the messages to the page, then posts them as VS Code would and waits until they are rendered. */
async function post(page: Page, messages: HostToWebview[]): Promise<void> {
  await page.evaluate(`benchDriver.load(${JSON.stringify(messages)})`);
  await page.evaluate(`benchDriver.post(${PER_TASK})`);
}

/**
 * Streams the deltas into a fresh page of the kind asked for and traces its main thread meanwhile;
 * returns the answer's markup as serialized from `selector` (by default the whole answer).
 */
export async function streamInto(
  harness: Harness,
  kind: 'real' | 'naive',
  deltas: readonly string[],
  stride: number,
  selector = ANSWER_SELECTOR,
): Promise<{ run: Run; answer: string }> {
  const page = await harness.open(kind, kind === 'naive' ? `?stride=${stride}` : '');
  try {
    await post(page, [
      state([]),
      { type: 'turnStarted', turn: turn(TURN_ID, 'streaming', '') },
      { type: 'blockStart', turnId: TURN_ID, index: 0, block: { kind: 'text', text: '' } },
    ]);
    const stream: HostToWebview[] = [...deltas.map((text): HostToWebview => ({ type: 'textDelta', turnId: TURN_ID, index: 0, text })), { type: 'turnFinished', turnId: TURN_ID, status: 'done' }];
    await page.evaluate(`benchDriver.load(${JSON.stringify(stream)})`);
    // Handing the page 20,000 messages in one script leaves megabytes of garbage, which is the
    // bench's, not the view's: collected now, so its collection does not land in what is measured.
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('HeapProfiler.collectGarbage');
    await devtools.detach();
    await page.evaluate('benchDriver.clearLongTasks()');
    const work = await traceMainThread(harness.browser, page, () => page.evaluate(`benchDriver.post(${PER_TASK})`), 'naive-render');
    const longTasks = await page.evaluate<number[]>('benchDriver.longTasks()');
    const answer = await page.evaluate<string>(`benchDriver.serialize(${JSON.stringify(selector)})`);
    return { run: { ...work, longTasks }, answer };
  } finally {
    await page.close();
  }
}

/**
 * The naive page's cost had it rendered every delta: its sampled renders (one delta in `stride`)
 * count `stride` times, the rest of its work (taking the messages, frames) once. Frames it would have
 * painted during the far longer run are not added, so the estimate errs in the naive page's favour.
 */
function everyDeltaEstimate(run: Run, stride: number): number {
  return run.busyMs + (stride - 1) * run.markedMs;
}

export async function renderedWhole(harness: Harness, text: string): Promise<string> {
  return (await renderWhole(harness, text, false)).answer;
}

/** The page showing `text` as a restored answer (a `state` message); traced if asked. */
export async function renderWhole(harness: Harness, text: string, trace: boolean, selector = ANSWER_SELECTOR): Promise<{ answer: string; work?: MainThreadWork }> {
  const page = await harness.open('real');
  try {
    const messages = [state([turn(TURN_ID, 'done', text)])];
    let work: MainThreadWork | undefined;
    if (trace) {
      await page.evaluate(`benchDriver.load(${JSON.stringify(messages)})`);
      work = await traceMainThread(harness.browser, page, () => page.evaluate(`benchDriver.post(${PER_TASK})`));
    } else await post(page, messages);
    return { answer: await page.evaluate<string>(`benchDriver.serialize(${JSON.stringify(selector)})`), ...(work ? { work } : {}) };
  } finally {
    await page.close();
  }
}

export const webviewRender: Figure = {
  name: 'webview',
  async run(context: BenchContext) {
    const { smoke } = context;
    const size = smoke ? { chars: 3_000, codeBlocks: 3, deltas: 300 } : { chars: 100_000, codeBlocks: 50, deltas: 20_000 };
    const next = random(42);
    const text = answer(size.chars, size.codeBlocks, next);
    const deltas = deltasOf(text, size.deltas, next);
    const rounds = smoke ? 1 : 3;
    // The naive page costs minutes per run at full size even sampled; it is the reference, not the
    // figure, and it is hundreds of times slower: one run, sampled every 200 deltas, is plenty.
    const naiveRounds = 1;
    const stride = smoke ? 1 : 200;

    const harness = await startHarness(context.root, await bundles(context));
    try {
      const real: Run[] = [];
      const naive: Run[] = [];
      let streamed = '';
      for (let round = 0; round < rounds; round++) {
        context.log(`webview: round ${round + 1} of ${rounds}, ${deltas.length} deltas`);
        const ours = await streamInto(harness, 'real', deltas, stride);
        real.push(ours.run);
        streamed = ours.answer;
        if (round < naiveRounds) naive.push((await streamInto(harness, 'naive', deltas, stride)).run);
      }
      const whole = await renderedWhole(harness, text);
      const sameDom = streamed === whole;
      assert.ok(streamed.length > text.length / 2, 'the streamed answer is missing from the page');

      const ours = median(real.map((run) => run.busyMs));
      const reference = median(naive.map((run) => everyDeltaEstimate(run, stride)));
      // Each run's longest task, then the median run: one task preempted by the machine's other work
      // should not decide the figure (every run's longest is in the details).
      const longest = median(real.map((run) => run.longestTaskMs));
      const longTasks = real.reduce((sum, run) => sum + run.longTasks.length, 0);
      return {
        name: this.name,
        rows: [
          {
            figure: `webview render, ${(text.length / 1000).toFixed(0)} KB in ${deltas.length.toLocaleString('en')} deltas (main-thread CPU)`,
            ours: formatMs(ours),
            reference: `re-render per delta ${formatMs(reference)}`,
            ratio: `${formatRatio(reference / ours)} less`,
            goal: '≥ 10x less main-thread time',
            pass: verdict(smoke, reference / ours >= 10),
          },
          {
            figure: 'webview longest task while streaming (CPU, median run)',
            ours: formatMs(longest),
            reference: `naive ${formatMs(Math.max(...naive.map((run) => run.longestTaskMs)))}`,
            ratio: `${longTasks} over 50 ms wall`,
            goal: `no task over ${LONG_TASK_MS} ms`,
            pass: verdict(smoke, longest <= LONG_TASK_MS),
          },
          {
            figure: 'webview final DOM vs one-shot render',
            ours: sameDom ? 'equal' : 'different',
            reference: `one-shot ${(whole.length / 1000).toFixed(0)} KB of markup`,
            ratio: '—',
            goal: 'equal',
            pass: sameDom,
          },
        ],
        details: { chars: text.length, deltas: deltas.length, rounds, naiveRounds, perTask: PER_TASK, naiveStride: stride, real, naive, ...(sameDom ? {} : { firstDifference: firstDifference(streamed, whole) }) },
      };
    } finally {
      await harness.close();
    }
  },
};

export function firstDifference(a: string, b: string): { at: number; streamed: string; oneShot: string } {
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  return { at, streamed: a.slice(Math.max(0, at - 80), at + 160), oneShot: b.slice(Math.max(0, at - 80), at + 160) };
}
