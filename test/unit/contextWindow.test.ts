import * as assert from 'node:assert/strict';
import type { ImageBlock, MessageParam } from '../../src/api/types';
import {
  calibrationOf,
  CONTEXT_MARGIN_TOKENS,
  CONTEXT_WINDOW_TOKENS,
  fitToContext,
  imageTokensOf,
  omittedTurnsNote,
  splitIntoTurns,
  tokensPerChar,
  type ContextRequest,
} from '../../src/chat/contextWindow';
import { pngHeader } from '../fixtures/pngHeader';

const MAX_TOKENS = 8192;
const BUDGET = CONTEXT_WINDOW_TOKENS - MAX_TOKENS - CONTEXT_MARGIN_TOKENS;

/** A plain turn whose prompt and answer hold about `tokens` tokens at 3.5 characters a token. */
function turn(label: string, tokens: number): MessageParam[] {
  const half = 'x'.repeat(Math.round((tokens * 3.5) / 2));
  return [
    { role: 'user', content: `${label} ${half}` },
    { role: 'assistant', content: [{ type: 'text', text: half }] },
  ];
}

/** A turn in which the model called a tool: four messages that must stay together. */
function toolTurn(label: string, tokens: number): MessageParam[] {
  const quarter = 'y'.repeat(Math.round((tokens * 3.5) / 4));
  return [
    { role: 'user', content: `${label} ${quarter}` },
    { role: 'assistant', content: [{ type: 'tool_use', id: `id-${label}`, name: 'readFile', input: { path: quarter } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `id-${label}`, content: quarter }] },
    { role: 'assistant', content: [{ type: 'text', text: quarter }] },
  ];
}

function request(history: MessageParam[], prompt: string, extra: Partial<ContextRequest> = {}): ContextRequest {
  return { system: 'You help.', history, current: [{ role: 'user', content: prompt }], maxTokens: MAX_TOKENS, ...extra };
}

describe('fitToContext', () => {
  it('sends everything while it fits', () => {
    const history = [...turn('a', 1000), ...turn('b', 1000)];
    const fit = fitToContext(request(history, 'next'));
    assert.ok(fit.fits);
    assert.equal(fit.omittedTurns, 0);
    assert.deepEqual(fit.messages, [...history, { role: 'user', content: 'next' }]);
    assert.equal(fit.budget, BUDGET);
    assert.ok(fit.estimatedTokens > 2000 && fit.estimatedTokens < 2200, String(fit.estimatedTokens));
  });

  it('leaves out the oldest whole turns, and no more than it must', () => {
    const history = [...turn('t1', 65_000), ...turn('t2', 65_000), ...turn('t3', 65_000)];
    const fit = fitToContext(request(history, 'now'));
    assert.ok(fit.fits);
    assert.equal(fit.omittedTurns, 1);
    assert.match(fit.messages[0].content as string, /^t2 /);
    assert.ok(fit.estimatedTokens <= BUDGET);
    assert.equal(fit.messages.at(-1)!.content, 'now');
  });

  it('never separates a tool call from its result, and starts with a prompt', () => {
    const history = [...toolTurn('t1', 90_000), ...toolTurn('t2', 90_000), ...turn('t3', 5_000)];
    const fit = fitToContext(request(history, 'now'));
    assert.ok(fit.fits);
    assert.equal(fit.omittedTurns, 1);
    assert.equal(fit.messages.length, 4 + 2 + 1);
    assert.equal(fit.messages[0].role, 'user');
    assert.equal(typeof fit.messages[0].content, 'string');
    const ids = (role: 'assistant' | 'user', type: string, key: string) =>
      fit.messages.flatMap((m) => (m.role === role && Array.isArray(m.content) ? m.content : [])).filter((b) => b.type === type).map((b) => (b as never)[key]);
    assert.deepEqual(ids('assistant', 'tool_use', 'id'), ids('user', 'tool_result', 'tool_use_id'));
  });

  it('keeps the messages of the current turn (prompt, tool calls and results) whole', () => {
    const current = toolTurn('current', 20_000).slice(0, 3);
    const fit = fitToContext({ ...request(turn('old', 170_000), ''), current });
    assert.ok(fit.fits);
    assert.equal(fit.omittedTurns, 1);
    assert.deepEqual(fit.messages, current);
  });

  it('refuses a prompt that does not fit even alone', () => {
    const fit = fitToContext(request(turn('old', 100), 'z'.repeat(BUDGET * 4)));
    assert.equal(fit.fits, false);
    assert.ok(fit.estimatedTokens > fit.budget);
  });

  it('counts the answer’s max_tokens and the tools against the window', () => {
    const history = turn('old', 150_000);
    const usual = fitToContext(request(history, 'now', { maxTokens: 8_192 }));
    assert.ok(usual.fits && usual.omittedTurns === 0);
    const bigAnswer = fitToContext(request(history, 'now', { maxTokens: 64_000 }));
    assert.ok(bigAnswer.fits && bigAnswer.omittedTurns === 1);
    const tools = [{ name: 'big', description: 'd'.repeat(150_000), input_schema: { type: 'object' as const } }];
    const withTools = fitToContext(request(turn('old', 140_000), 'now', { tools }));
    assert.ok(withTools.fits && withTools.omittedTurns === 1);
  });

  it('estimates with the density this conversation measured, when it is higher than the default', () => {
    const history = [...turn('t1', 50_000), ...turn('t2', 50_000)];
    assert.ok(fitToContext(request(history, 'now')).fits);
    // Dense text (say, CJK): the last request of 100K characters cost 60K tokens.
    const dense = fitToContext(request(history, 'now', { calibration: { chars: 100_000, inputTokens: 60_000 } }));
    assert.ok(dense.fits);
    assert.equal(dense.omittedTurns, 1);
    // A lower measurement is not trusted to pack more in.
    assert.equal(tokensPerChar({ chars: 100_000, inputTokens: 10_000 }), 1 / 3.5);
  });

  it('calibrates from long requests only, counting cached input too', () => {
    assert.equal(calibrationOf(500, { input_tokens: 400, output_tokens: 1 }), undefined);
    assert.deepEqual(calibrationOf(50_000, { input_tokens: 100, output_tokens: 1, cache_read_input_tokens: 14_000, cache_creation_input_tokens: 1_000 }), {
      chars: 50_000,
      inputTokens: 15_100,
    });
    assert.equal(tokensPerChar({ chars: 20_000, inputTokens: 1_000_000 }), 1.5, 'an absurd measurement is capped');
  });

  it('splits a history into turns at each prompt, keeping tool rounds inside their turn', () => {
    const history = [...toolTurn('a', 100), ...turn('b', 100)];
    assert.deepEqual(splitIntoTurns(history).map((t) => t.length), [4, 2]);
    // A prompt sent as blocks (text with an image, say) opens a turn too.
    assert.equal(splitIntoTurns([...turn('a', 10), { role: 'user', content: [{ type: 'text', text: 'b' }] }]).length, 2);
  });

  it('tells the user how many turns were left out', () => {
    assert.equal(omittedTurnsNote(1), '1 earlier turn was left out to fit the context window.');
    assert.equal(omittedTurnsNote(3), '3 earlier turns were left out to fit the context window.');
  });
});

describe('images in the estimate', () => {
  function pngBlock(width: number, height: number, padding: number): ImageBlock {
    return { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngHeader(width, height, padding).toString('base64') } };
  }

  it('counts an image by its pixels, not by the length of its base64', () => {
    // 1000 × 750 pixels are 1000 tokens; its 600 KB of base64 would be over 170,000 by characters.
    const image = pngBlock(1000, 750, 450_000);
    const fit = fitToContext({ system: '', history: [], current: [{ role: 'user', content: [image, { type: 'text', text: 'what is this?' }] }], maxTokens: MAX_TOKENS });
    assert.ok(fit.fits);
    assert.ok(fit.estimatedTokens >= 1000 && fit.estimatedTokens < 1100, String(fit.estimatedTokens));
    assert.equal(imageTokensOf(fit.messages), 1000);
  });

  it('counts the images of tool results and of earlier turns, and leaves out a turn with its images', () => {
    const image = pngBlock(1568, 1568, 10);
    const toolResult: MessageParam = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'Image a.png' }, image] }] };
    assert.equal(imageTokensOf([toolResult]), 1600);
    // 120 images of 1,600 tokens each fill the window: the turn holding them goes, the text turn stays.
    const heavy: MessageParam[] = [{ role: 'user', content: Array.from({ length: 120 }, () => image) }, { role: 'assistant', content: [{ type: 'text', text: 'seen' }] }];
    const fit = fitToContext(request([...heavy, ...turn('light', 100)], 'next'));
    assert.ok(fit.fits);
    assert.equal(fit.omittedTurns, 1);
    assert.ok(fit.estimatedTokens < 200, String(fit.estimatedTokens));
  });
});
