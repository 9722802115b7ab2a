import * as assert from 'node:assert/strict';
import { buildLmRequest } from '../../src/lm/requestMapping';
import { toolCallResult } from '../../src/mcp/mcpContent';
import { externalResultOf } from '../../src/tools/externalResultParts';
import { pngHeader } from '../fixtures/pngHeader';

/** Images the API would answer 400 to, as a server or caller may send them. */
const TOO_TALL = pngHeader(1280, 12_000);
const TOO_HEAVY = pngHeader(1000, 1000, 4_000_000);
const GOOD = pngHeader(800, 600);

function lmContent(mimeType: string, data: Uint8Array) {
  const { request, skipped } = buildLmRequest({ messages: [{ role: 'user', parts: [{ kind: 'data', mimeType, data }, { kind: 'text', text: 'What is this?' }] }], tools: [], toolMode: 'auto', model: 'm', maxTokens: 10 });
  return { content: request.messages[0].content, skipped };
}

describe('Images from tools, MCP servers and language model callers: checked before they are sent', () => {
  it('an MCP server’s image too tall, too heavy, mislabelled or not base64 becomes a note that says why', () => {
    const result = toolCallResult({
      content: [
        { type: 'image', mimeType: 'image/png', data: TOO_TALL.toString('base64') },
        { type: 'image', mimeType: 'image/png', data: TOO_HEAVY.toString('base64') },
        { type: 'image', mimeType: 'image/jpeg', data: GOOD.toString('base64') },
        { type: 'image', mimeType: 'image/png', data: 'not base64!' },
        { type: 'image', mimeType: 'image/png', data: GOOD.toString('base64') },
      ],
    });
    assert.deepEqual(result.content, [
      { type: 'text', text: '[An image of type image/png from the tool was left out: it is 1280×12000 pixels; at most 8000 on its long edge are sent.]' },
      { type: 'text', text: '[An image of type image/png from the tool was left out: it is 4.00 MB; at most 3.75 MB are sent.]' },
      { type: 'text', text: '[An image of type image/jpeg from the tool was left out: it was sent as image/jpeg, but it is image/png.]' },
      { type: 'text', text: '[An image of type image/png from the tool was left out: its data is not base64.]' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: GOOD.toString('base64') } },
    ]);
  });

  it('a VS Code tool’s image beyond the limits or mislabelled becomes a note; a good one is kept', () => {
    const result = externalResultOf([
      { kind: 'data', mimeType: 'image/png', data: TOO_TALL },
      { kind: 'data', mimeType: 'image/webp', data: GOOD },
      { kind: 'data', mimeType: 'image/png', data: GOOD },
    ]);
    assert.deepEqual(result.images, [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: GOOD.toString('base64') } }]);
    assert.deepEqual(result.text.split('\n'), [
      '[An image of type image/png from the tool was left out: it is 1280×12000 pixels; at most 8000 on its long edge are sent.]',
      '[An image of type image/webp from the tool was left out: it was sent as image/webp, but it is image/png.]',
    ]);
  });

  it('a language model caller’s image beyond the limits becomes a note in its place, and the log says so', () => {
    const { content, skipped } = lmContent('image/png', TOO_HEAVY);
    assert.deepEqual(content, [
      { type: 'text', text: '[An image of type image/png was left out: it is 4.00 MB; at most 3.75 MB are sent.]' },
      { type: 'text', text: 'What is this?' },
    ]);
    assert.deepEqual(skipped, ['an image of type image/png: it is 4.00 MB; at most 3.75 MB are sent.']);
    assert.deepEqual(lmContent('image/gif', GOOD).content[0], { type: 'text', text: '[An image of type image/gif was left out: it was sent as image/gif, but it is image/png.]' });
    assert.deepEqual(lmContent('image/png', GOOD).content[0], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: GOOD.toString('base64') } });
  });
});
