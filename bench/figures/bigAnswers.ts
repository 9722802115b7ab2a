/**
 * Big answers (issue 11): 256 KB and 5 MB, as answer-like markdown and as one code block, streamed in
 * token-sized deltas into the real Chat view page in headless Chromium. Judged by the longest task of
 * the page's main thread while streaming (50 ms at 256 KB, 200 ms at 5 MB), and while the same answer
 * is restored from history (a `state` message), beside the reference measured in the same run: the
 * answer rendered in one go (`renderMarkdown` into `innerHTML`), which the page did on restore before.
 * The streamed and the restored answer must both end with the DOM of that one-shot render.
 */
import type { BenchContext, Figure } from '../lib/figure';
import type { FigureResult } from '../lib/report';
import { answer, codeAnswer, deltasOf, random } from '../../test/fixtures/markdownCorpus';
import { bundles } from '../lib/bundles';
import { formatMs, verdict } from '../lib/report';
import { startHarness, type Harness } from '../webview/harness';
import { traceMainThread, type MainThreadWork } from '../webview/trace';
import { ANSWER_SELECTOR, firstDifference, renderWhole, streamInto } from './webviewRender';

interface Case {
  name: string;
  text: string;
  deltas: number;
}

/** About 50 characters a delta, as a model's tokens arrive, up to 100,000 deltas. */
const deltaCount = (chars: number) => Math.min(100_000, Math.max(10, Math.round(chars / 50)));

interface Size {
  label: string;
  chars: number;
  /** Longest task allowed while streaming and while restoring. */
  goalMs: number;
  /**
   * Deltas merged into one `textDelta` message. The host's DeltaCoalescer sends one message per 16 ms
   * with every delta that arrived meanwhile; a model writes a delta or two in that time, but the bench
   * streams far faster than any model (5 MB in a minute or two, not hours), so the host would merge
   * hundreds. At 256 KB each delta is still its own message (the harder case for the page); at 5 MB,
   * 100,000 messages of one delta each measure the driver's posting more than the page, so ten a message.
   */
  deltasPerMessage: number;
}

function cases({ label, chars }: Size): Case[] {
  return [
    { name: `${label} markdown`, text: answer(chars, Math.max(1, chars / 2_000), random(chars)), deltas: deltaCount(chars) },
    { name: `${label} one code block`, text: codeAnswer(chars, random(chars + 1)), deltas: deltaCount(chars) },
  ];
}

/** 256 KB, about the longest answer the model writes: no task over 50 ms. */
export const bigAnswers: Figure = {
  name: 'bigAnswers',
  run: (context) =>
    measure('bigAnswers', context, { label: context.smoke ? '3 KB' : '256 KB', chars: context.smoke ? 3_000 : 256_000, goalMs: 50, deltasPerMessage: 1 }),
};

/** 5 MB, far past it: the view stays responsive, no task over 200 ms. */
export const hugeAnswers: Figure = {
  name: 'hugeAnswers',
  run: (context) =>
    measure('hugeAnswers', context, { label: context.smoke ? '30 KB' : '5 MB', chars: context.smoke ? 30_000 : 5_000_000, goalMs: 200, deltasPerMessage: 10 }),
};

/** Consecutive deltas joined `count` at a time, as the host's coalescer joins them into one message. */
function merged(deltas: readonly string[], count: number): string[] {
  const messages: string[] = [];
  for (let i = 0; i < deltas.length; i += count) messages.push(deltas.slice(i, i + count).join(''));
  return messages;
}

/** The text block of the answer: the one-shot render is compared with it. */
const TEXT_BLOCK_SELECTOR = `${ANSWER_SELECTOR} .markdown`;

/** `text` rendered in one go by the page's renderer and styles, traced, and serialized as the answers are. */
async function oneShot(harness: Harness, text: string): Promise<{ answer: string; work: MainThreadWork }> {
  const page = await harness.open('real');
  try {
    const work = await traceMainThread(harness.browser, page, () => page.evaluate(`benchDriver.renderOneShot(${JSON.stringify(text)})`));
    return { answer: await page.evaluate<string>(`benchDriver.serialize('body > .markdown')`), work };
  } finally {
    await page.close();
  }
}

async function measure(name: string, context: BenchContext, size: Size): Promise<FigureResult> {
  const harness = await startHarness(context.root, await bundles(context));
  const rows = [];
  const details: Record<string, unknown> = {};
  try {
    for (const item of cases(size)) {
      const deltas = merged(deltasOf(item.text, item.deltas, random(item.deltas)), size.deltasPerMessage);
      context.log(`${name}: ${item.name}, ${item.deltas.toLocaleString('en')} deltas in ${deltas.length.toLocaleString('en')} messages`);
      const streamed = await streamInto(harness, 'real', deltas, 1, TEXT_BLOCK_SELECTOR);
      const restored = await renderWhole(harness, item.text, true, TEXT_BLOCK_SELECTOR);
      const { answer: reference, work: oneShotWork } = await oneShot(harness, item.text);
      const oneShotTask = `one-shot render ${formatMs(oneShotWork.longestTaskMs)}`;
      const longest = streamed.run.longestTaskMs;
      const restoreLongest = restored.work?.longestTaskMs ?? NaN;
      const domRow = (what: string, markup: string) => ({
        figure: `big answer ${item.name}: final DOM ${what} vs one-shot render`,
        ours: markup === reference ? 'equal' : 'different',
        reference: `one-shot ${(reference.length / 1000).toFixed(0)} KB of markup`,
        ratio: '—',
        goal: 'equal',
        pass: markup === reference,
      });
      rows.push(
        {
          figure: `big answer ${item.name}: longest task while streaming (CPU)`,
          ours: formatMs(longest),
          reference: oneShotTask,
          ratio: `${streamed.run.longTasks.length} over 50 ms wall`,
          goal: `no task over ${size.goalMs} ms`,
          pass: verdict(context.smoke, longest <= size.goalMs),
        },
        domRow('streamed', streamed.answer),
        {
          figure: `big answer ${item.name}: longest task while restoring (CPU)`,
          ours: formatMs(restoreLongest),
          reference: oneShotTask,
          ratio: '—',
          goal: `no task over ${size.goalMs} ms`,
          pass: verdict(context.smoke, restoreLongest <= size.goalMs),
        },
        domRow('restored', restored.answer),
      );
      details[item.name] = {
        chars: item.text.length,
        deltas: item.deltas,
        messages: deltas.length,
        streamed: streamed.run,
        restored: restored.work,
        oneShot: oneShotWork,
        ...(streamed.answer === reference ? {} : { streamedFirstDifference: firstDifference(streamed.answer, reference) }),
        ...(restored.answer === reference ? {} : { restoredFirstDifference: firstDifference(restored.answer, reference) }),
      };
    }
  } finally {
    await harness.close();
  }
  return { name, rows, details };
}
