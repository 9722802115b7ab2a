/**
 * Memory and long histories. The extension host's heap after a conversation of 200 turns with long
 * answers (against the text the conversation holds, which it cannot help keeping), and whether New
 * Chat gives it back. The Chat view's page with the same conversation restored: its DOM and the
 * main-thread time of the restore, and of streaming one more answer, against a 1-turn conversation.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { HostToWebview, TurnView } from '../../src/shared/protocol';
import { TURN_WINDOW } from '../../src/shared/turnWindow';
import { deltasOf, random } from '../../test/fixtures/markdownCorpus';
import type { HostHeap } from '../memory/hostHeap';
import { bundles } from '../lib/bundles';
import type { BenchContext, Figure } from '../lib/figure';
import { formatBytes, formatMs, formatRatio, verdict, type Row } from '../lib/report';
import { median } from '../lib/stats';
import { DELTA_SIZE, FULL_SCALE, LONG_ANSWERS, longAnswerText, SMOKE_SCALE } from '../mock/scenarios';
import { startHarness, type Harness } from '../webview/harness';
import { traceMainThread, type MainThreadWork } from '../webview/trace';
import { viewHost } from '../webview/viewHost';

const HEAP_GOAL_BYTES = 30 * 1024 * 1024;
/**
 * What New Chat may leave behind: a tenth of the budget. What stays is code the turns warmed up, not
 * the turns: it is the same after 20 turns as after 400.
 */
const NEW_CHAT_KEPT_GOAL_BYTES = HEAP_GOAL_BYTES / 10;
/** A long history may cost a new answer's streaming this much more than a short one. */
const STREAMING_GOAL = 1.5;

async function hostHeap(context: BenchContext, turns: number): Promise<HostHeap> {
  const script = path.join(__dirname, '..', 'memory', 'hostHeap.ts');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, context.mock.url, String(turns)], { cwd: context.root });
    return JSON.parse(stdout) as HostHeap;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    throw new Error(`hostHeap.ts failed: ${stderr.slice(-2000) || (error as Error).message}`, { cause: error });
  }
}

function heapRows(heap: HostHeap, smoke: boolean): Row[] {
  const growth = heap.afterTurnsBytes - heap.baselineBytes;
  const kept = heap.afterNewChatBytes - heap.baselineBytes;
  return [
    {
      figure: `host heap growth, ${heap.turns} turns of long answers`,
      ours: formatBytes(growth),
      reference: `text held ${(heap.textChars / 1e6).toFixed(2)} M chars`,
      ratio: `${(growth / heap.textChars).toFixed(1)} bytes/char`,
      goal: `≤ ${formatBytes(HEAP_GOAL_BYTES)}`,
      pass: verdict(smoke, growth <= HEAP_GOAL_BYTES),
    },
    {
      figure: 'host heap after New Chat, above the empty chat',
      ours: formatBytes(Math.max(0, kept)),
      reference: `growth ${formatBytes(growth)}`,
      ratio: `${((Math.max(0, kept) / growth) * 100).toFixed(0)}% kept`,
      goal: `≤ ${formatBytes(NEW_CHAT_KEPT_GOAL_BYTES)} kept`,
      pass: verdict(smoke, kept <= NEW_CHAT_KEPT_GOAL_BYTES),
    },
  ];
}

/** A conversation of `count` answered turns, cycling through the long answers the bench mock gives. */
function conversation(count: number, answers: readonly string[]): TurnView[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `turn-${i + 1}`,
    prompt: { text: `Explain part ${i + 1} of the design, with examples.` },
    answer: {
      status: 'done',
      blocks: [{ kind: 'text', text: answers[i % answers.length] }],
      usage: { inputTokens: 1000 * (i + 1), outputTokens: 3000, credits: 0.05, creditsSource: 'provider' },
    },
  }));
}

/** One more turn, streamed in deltas of the mock's size, ending as the chat ends it. */
function nextAnswer(id: string, text: string): HostToWebview[] {
  const turn: TurnView = { id, prompt: { text: 'And the next part?' }, answer: { status: 'streaming', blocks: [] } };
  const deltas = deltasOf(text, Math.ceil(text.length / DELTA_SIZE), random(7));
  return [
    { type: 'turnStarted', turn },
    { type: 'blockStart', turnId: id, index: 0, block: { kind: 'text', text: '' } },
    ...deltas.map((delta): HostToWebview => ({ type: 'textDelta', turnId: id, index: 0, text: delta })),
    { type: 'turnFinished', turnId: id, status: 'done' },
  ];
}

/** Traces the page's main thread while it takes the messages, one per task as VS Code posts them. */
async function postTraced(harness: Harness, page: Page, messages: HostToWebview[]): Promise<MainThreadWork> {
  await page.evaluate(`benchDriver.load(${JSON.stringify(messages)})`);
  return traceMainThread(harness.browser, page, () => page.evaluate('benchDriver.post(1)'));
}

interface HistoryRun {
  restore: MainThreadWork;
  /** Elements in the page once the conversation is restored. */
  elements: number;
  turnsShown: number;
  streaming: MainThreadWork;
}

/** Opens the page, restores the conversation as the view's host sends it, then streams one more answer. */
async function restoreAndStream(harness: Harness, turns: TurnView[], next: string): Promise<HistoryRun> {
  const host = await viewHost({ conversationId: 'bench-memory', turns, busy: false, attachments: [], settings: { thinking: false, mode: 'agent' } });
  const page = await harness.open('real');
  try {
    const restore = await postTraced(harness, page, host.answer({ type: 'ready' }));
    const elements = await page.evaluate<number>('benchDriver.count("*")');
    const turnsShown = await page.evaluate<number>('benchDriver.count(".turn.assistant")');
    const streaming = await postTraced(harness, page, nextAnswer('bench-next', next));
    return { restore, elements, turnsShown, streaming };
  } finally {
    await page.close();
  }
}

/**
 * The page's DOM and restore may grow with what the turn window holds, never with the history: at
 * most as many answers as fit its characters, each costing no more than the 1-turn page (which also
 * holds the page's own controls).
 */
function historyRows(long: HistoryRun[], short: HistoryRun[], turns: number, answerChars: number, smoke: boolean): Row[] {
  const cpu = (runs: HistoryRun[], of: 'restore' | 'streaming') => median(runs.map((run) => run[of].busyMs));
  const elements = { long: long[0].elements, short: short[0].elements };
  const restore = { long: cpu(long, 'restore'), short: cpu(short, 'restore') };
  const streaming = { long: cpu(long, 'streaming'), short: cpu(short, 'streaming') };
  const window = Math.min(TURN_WINDOW.turns, TURN_WINDOW.chars / answerChars);
  const windowGoal = `≤ ${formatRatio(window)}: what the turn window holds, not the history`;
  return [
    {
      figure: `webview DOM after restoring ${turns} turns (${long[0].turnsShown} shown)`,
      ours: `${elements.long.toLocaleString('en')} elements`,
      reference: `1 turn ${elements.short.toLocaleString('en')}`,
      ratio: formatRatio(elements.long / elements.short),
      goal: windowGoal,
      pass: verdict(smoke, elements.long / elements.short <= window),
    },
    {
      figure: `webview restore of ${turns} turns (main-thread CPU)`,
      ours: formatMs(restore.long),
      reference: `1 turn ${formatMs(restore.short)}`,
      ratio: formatRatio(restore.long / restore.short),
      goal: windowGoal,
      pass: verdict(smoke, restore.long / restore.short <= window),
    },
    {
      figure: `webview streaming an answer after ${turns} turns (main-thread CPU)`,
      ours: formatMs(streaming.long),
      reference: `after 1 turn ${formatMs(streaming.short)}`,
      ratio: formatRatio(streaming.long / streaming.short),
      goal: `≤ ${formatRatio(STREAMING_GOAL)}`,
      pass: verdict(smoke, streaming.long / streaming.short <= STREAMING_GOAL),
    },
  ];
}

export const memory: Figure = {
  name: 'memory',
  async run(context: BenchContext) {
    const { smoke } = context;
    const turns = smoke ? 5 : 200;
    const rounds = smoke ? 1 : 3;
    context.log(`memory: host heap over ${turns} turns`);
    const heap = await hostHeap(context, turns);

    const { longAnswerChars } = smoke ? SMOKE_SCALE : FULL_SCALE;
    const answers = Array.from({ length: LONG_ANSWERS }, (_, i) => longAnswerText(longAnswerChars, i + 1));
    const nextText = longAnswerText(longAnswerChars, LONG_ANSWERS + 1);
    const harness = await startHarness(context.root, await bundles(context));
    const long: HistoryRun[] = [];
    const short: HistoryRun[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        context.log(`memory: webview round ${round + 1} of ${rounds}`);
        short.push(await restoreAndStream(harness, conversation(1, answers), nextText));
        long.push(await restoreAndStream(harness, conversation(turns, answers), nextText));
      }
    } finally {
      await harness.close();
    }
    return {
      name: this.name,
      rows: [...heapRows(heap, smoke), ...historyRows(long, short, turns, longAnswerChars, smoke)],
      details: { heap, rounds, answerChars: longAnswerChars, webview: { long, short } },
    };
  },
};
