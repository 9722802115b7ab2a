/**
 * The extension host's side of a long conversation, in plain Node: a ChatController (and the Chat
 * view's delta coalescer) holding a conversation of many turns with long answers, streamed from the
 * bench mock. Prints the heap after garbage collection at each stage as one JSON line.
 *
 *   node --expose-gc --import tsx bench/memory/hostHeap.ts BASE_URL TURNS
 */
import { turnSize } from '../../src/shared/turnWindow';
import { chatRig } from '../lib/chatRig';
import { MODELS } from '../mock/scenarios';

export interface HostHeap {
  turns: number;
  /** Characters of prompts and answers the conversation holds: what it cannot help keeping. */
  textChars: number;
  /** Heap used, after full collections: warmed up with an empty chat, after the turns, and after New Chat. */
  baselineBytes: number;
  afterTurnsBytes: number;
  afterNewChatBytes: number;
  /** Messages the view was sent. */
  posted: number;
}

async function heapUsed(): Promise<number> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const [baseUrl, turnsArgument] = process.argv.slice(2);
  const turns = Number(turnsArgument);
  let posted = 0;
  const rig = chatRig(baseUrl, MODELS.longAnswer, () => posted++);
  // One turn first, so code, caches and the connection pool are in the baseline, not in the growth.
  await rig.ask('Warm up.');
  rig.controller.newChat();
  const baselineBytes = await heapUsed();
  for (let turn = 1; turn <= turns; turn++) await rig.ask(`Explain part ${turn} of the design, with examples.`);
  const afterTurnsBytes = await heapUsed();
  const textChars = rig.controller.snapshot().turns.reduce((sum, turn) => sum + turnSize(turn), 0);
  rig.controller.newChat();
  const afterNewChatBytes = await heapUsed();
  const result: HostHeap = { turns, textChars, baselineBytes, afterTurnsBytes, afterNewChatBytes, posted };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
