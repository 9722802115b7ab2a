import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SILENT_LOG } from '../../src/api/log';
import { DEFAULT_TOKENS_PER_CHAR } from '../../src/chat/contextWindow';
import { streamLmResponse } from '../../src/lm/lmResponse';
import { LM_VENDOR, sonnetModelInformation } from '../../src/lm/modelInformation';
import { buildLmRequest } from '../../src/lm/requestMapping';
import { messageTokens, textTokens } from '../../src/lm/tokenCount';
import { sseReply } from '../fixtures/transcripts';
import { clientFor, rejectsWithApiError, settle, useMockProvider } from './helpers';

function recorder() {
  const seen: Array<{ text: string } | { callId: string; name: string; input: object }> = [];
  return { seen, sink: { text: (text: string) => seen.push({ text }), toolCall: (callId: string, name: string, input: object) => seen.push({ callId, name, input }) } };
}

describe('language model provider: the streamed answer', () => {
  const mock = useMockProvider();
  const built = () =>
    buildLmRequest({
      messages: [{ role: 'user', parts: [{ kind: 'text', text: 'Which files?' }] }],
      tools: [{ name: 'workspace.find files', description: 'Finds files', inputSchema: { type: 'object', properties: { glob: { type: 'string' } } } }],
      toolMode: 'auto',
      model: 'claude-sonnet-4-6',
      maxTokens: 1000,
    });

  it('hands text over as it arrives and each tool call once complete, under the caller’s tool name', async () => {
    mock().enqueue(
      sseReply(
        { blocks: [{ type: 'text', text: 'Let me look for them.' }, { type: 'tool_use', id: 'toolu_1', name: 'workspace_find_files', input: { glob: '**/*.ts' } }], stopReason: 'tool_use', deltaSize: 5, credits: { where: 'message_delta', value: 0.25 } },
        { chunkSize: 64 },
      ),
    );
    const { seen, sink } = recorder();
    const result = await streamLmResponse(clientFor(mock()), built(), sink, new AbortController().signal, SILENT_LOG);
    const texts = seen.flatMap((part) => ('text' in part ? [part.text] : []));
    assert.ok(texts.length > 1, `text came in pieces: ${JSON.stringify(texts)}`);
    assert.equal(texts.join(''), 'Let me look for them.');
    assert.deepEqual(seen.at(-1), { callId: 'toolu_1', name: 'workspace.find files', input: { glob: '**/*.ts' } });
    assert.equal(result.cost.credits, 0.25);
    const sent = mock().messageRequests[0].body;
    assert.deepEqual(sent.tools.map((tool: { name: string }) => tool.name), ['workspace_find_files']);
    assert.deepEqual(sent.tool_choice, { type: 'auto' });
  });

  it('closes the connection when cancelled', async () => {
    let release!: () => void;
    mock().enqueue(sseReply({ blocks: [{ type: 'text', text: 'A long answer. '.repeat(50) }], deltaSize: 4 }, { chunkSize: 32, startAfter: new Promise<void>((resolve) => (release = resolve)), delayMs: 20 }));
    const abort = new AbortController();
    const { seen, sink } = recorder();
    const pending = streamLmResponse(clientFor(mock()), built(), { ...sink, text: (text) => (sink.text(text), abort.abort()) }, abort.signal, SILENT_LOG);
    await settle(() => mock().messageRequests.length === 1);
    release();
    assert.equal((await rejectsWithApiError(pending)).code, 'aborted');
    await mock().messageRequests[0].finished;
    assert.equal(mock().messageRequests[0].clientClosedEarly, true, 'the provider saw the connection close');
    assert.ok(seen.length >= 1);
  });
});

describe('language model provider: model information and token counts', () => {
  it('describes Claude Sonnet 4.6, its input window less the answer', () => {
    const info = sonnetModelInformation(8192);
    assert.equal(info.id, 'claude-sonnet-4-6');
    assert.equal(info.name, 'Claude Sonnet 4.6');
    assert.equal(info.maxInputTokens, 200_000 - 8192);
    assert.equal(info.maxOutputTokens, 8192);
    assert.deepEqual(info.capabilities, { toolCalling: true, imageInput: true });
  });

  it('counts text as the context window does, and an image by its size (width × height / 750)', () => {
    assert.equal(textTokens('x'.repeat(35)), Math.ceil(35 * DEFAULT_TOKENS_PER_CHAR));
    const text = messageTokens({ role: 'user', parts: [{ kind: 'text', text: 'hello' }] });
    assert.equal(text, Math.ceil(JSON.stringify({ type: 'text', text: 'hello' }).length * DEFAULT_TOKENS_PER_CHAR));
    // A 750 × 300 PNG followed by 300 KB of pixel data: 300 tokens, whatever its bytes.
    const png = new Uint8Array(300_000);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x02, 0xee, 0, 0, 0x01, 0x2c]);
    const withImage = messageTokens({ role: 'user', parts: [{ kind: 'text', text: 'hello' }, { kind: 'data', mimeType: 'image/png', data: png }] });
    assert.equal(withImage, text + 300);
    const inResult = messageTokens({ role: 'user', parts: [{ kind: 'toolResult', callId: 'c', content: [{ kind: 'data', mimeType: 'image/png', data: png }] }] });
    assert.ok(inResult > 300 && inResult < 330, `an image in a tool result: ${inResult}`);
    assert.equal(messageTokens({ role: 'system', parts: [{ kind: 'text', text: 'x'.repeat(70) }] }), 20);
  });
});

describe('language model provider: the contribution', () => {
  it("declares the vendor the code registers, and a management command that sets the key", () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      contributes: { languageModelChatProviders: Array<{ vendor: string; displayName: string; managementCommand: string }>; commands: Array<{ command: string }> };
    };
    assert.deepEqual(manifest.contributes.languageModelChatProviders, [{ vendor: LM_VENDOR, displayName: 'Sonnet Chat', managementCommand: 'sonnet.setApiKey' }]);
    assert.ok(manifest.contributes.commands.some(({ command }) => command === 'sonnet.setApiKey'));
  });
});
