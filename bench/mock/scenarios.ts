/**
 * What the bench's mock provider answers, chosen by the request's `model`: the same bytes for our
 * client and for each reference it is compared with.
 */
import { answer, random } from '../../test/fixtures/markdownCorpus';
import { transcript, type TranscriptScript } from '../../test/fixtures/transcripts';
import type { SseReply } from '../../test/fixtures/mockProvider';

export interface Scale {
  /** Delta events of the stream-decode transcript. */
  decodeDeltas: number;
  /** Characters of each answer in the memory figure's conversation. */
  longAnswerChars: number;
}

export const FULL_SCALE: Scale = { decodeDeltas: 20_000, longAnswerChars: 12_000 };
export const SMOKE_SCALE: Scale = { decodeDeltas: 300, longAnswerChars: 2_000 };

/** Characters per delta, about what the API sends for a few tokens. */
export const DELTA_SIZE = 16;

export const MODELS = {
  decode: 'bench-decode',
  firstToken: 'bench-first-token',
  longAnswer: 'bench-long-answer',
} as const;

/**
 * Thinking, then a long markdown answer, then a tool call: 15% of the deltas think, 80% write text and
 * 5% are tool input, so every path of the decoder is exercised in proportion to real answers.
 */
export function decodeScript(deltas: number): TranscriptScript {
  const next = random(6);
  const thinkingDeltas = Math.round(deltas * 0.15);
  const toolDeltas = Math.round(deltas * 0.05);
  // The signature and the empty first input fragment are deltas too.
  const textDeltas = deltas - thinkingDeltas - toolDeltas - 2;
  const text = answer(textDeltas * DELTA_SIZE, Math.max(1, Math.round(textDeltas / 320)), next).slice(0, textDeltas * DELTA_SIZE);
  const thinking = answer(thinkingDeltas * DELTA_SIZE, 0, next).slice(0, thinkingDeltas * DELTA_SIZE);
  const code = answer(toolDeltas * DELTA_SIZE, 0, next);
  // JSON escaping lengthens the input; it is cut to length before encoding, then measured again.
  let content = code;
  while (JSON.stringify({ path: 'src/notes.md', content }).length > toolDeltas * DELTA_SIZE) content = content.slice(0, -8);
  return {
    id: 'msg_bench_decode',
    deltaSize: DELTA_SIZE,
    blocks: [
      { type: 'thinking', thinking, signature: 'bench-signature' },
      { type: 'text', text },
      { type: 'tool_use', id: 'toolu_bench', name: 'write_file', input: { path: 'src/notes.md', content } },
    ],
    stopReason: 'tool_use',
    outputTokens: deltas * 4,
  };
}

/** A short answer whose first text delta arrives in the first write; the rest follows a pause later. */
export function firstTokenReply(): SseReply {
  const body = transcript({ id: 'msg_bench_ttft', deltaSize: 8, blocks: [{ type: 'text', text: 'Hello! Here is the answer you asked for.' }] });
  const firstDelta = body.indexOf('\n\n', body.indexOf('text_delta')) + 2;
  return { kind: 'sse', body, splitAt: [Buffer.byteLength(body.slice(0, firstDelta))], delayMs: 5 };
}

/** Distinct long answers the memory figure's conversation cycles through. */
export const LONG_ANSWERS = 8;

/** Long answer number `seed` (from 1) of the memory figure's conversation. */
export function longAnswerText(chars: number, seed: number): string {
  return answer(chars, 4, random(seed));
}

export function longAnswerScript(chars: number, seed: number): TranscriptScript {
  return { id: `msg_bench_long_${seed}`, deltaSize: DELTA_SIZE, blocks: [{ type: 'text', text: longAnswerText(chars, seed) }] };
}
