import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildLmRequest, inputSchema, toolChoice, type LmRequestInput, type PlainMessage } from '../../src/lm/requestMapping';
import { ToolNames } from '../../src/lm/toolNames';
import { pngHeader } from '../fixtures/pngHeader';

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = new Uint8Array(pngHeader(2, 2));
/** Real image files (see test/fixtures/images): each image is checked by its bytes before it is sent. */
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(__dirname, '../fixtures/images', name)));
const WEBP = fixture('lossy.webp');
const JPEG = fixture('photo.jpg');

function build(messages: PlainMessage[], extra: Partial<LmRequestInput> = {}) {
  return buildLmRequest({ messages, tools: [], toolMode: 'auto', model: 'claude-sonnet-4-6', maxTokens: 1000, ...extra });
}

describe('language model provider: messages as a Messages API request', () => {
  it('maps text, tool calls and tool results to text, tool_use and tool_result blocks', () => {
    const { request, skipped } = build([
      { role: 'user', parts: [{ kind: 'text', text: 'What is in a.ts?' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'Reading it.' }, { kind: 'toolCall', callId: 'call_1', name: 'read', input: { path: 'a.ts' } }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'call_1', content: [{ kind: 'text', text: 'export {}' }] }] },
    ]);
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What is in a.ts?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Reading it.' }, { type: 'tool_use', id: 'call_1', name: 'read', input: { path: 'a.ts' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'export {}' }] }] },
    ]);
    assert.deepEqual(skipped, []);
    assert.equal(request.model, 'claude-sonnet-4-6');
    assert.equal(request.max_tokens, 1000);
  });

  it('sends images as base64 image blocks, and JSON and text data as text', () => {
    const { request, skipped } = build([
      {
        role: 'user',
        parts: [
          { kind: 'data', mimeType: 'image/png', data: PNG },
          { kind: 'data', mimeType: 'image/jpg', data: JPEG },
          { kind: 'data', mimeType: 'application/json', data: bytes('{"a":1}') },
          { kind: 'data', mimeType: 'text/markdown; charset=utf-8', data: bytes('# Title') },
        ],
      },
    ]);
    assert.deepEqual(request.messages[0].content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: Buffer.from(PNG).toString('base64') } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: Buffer.from(JPEG).toString('base64') } },
      { type: 'text', text: '{"a":1}' },
      { type: 'text', text: '# Title' },
    ]);
    assert.deepEqual(skipped, []);
  });

  it("keeps a tool result's text, images and data, in order", () => {
    const { request } = build([
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c', name: 'shot', input: {} }] },
      {
        role: 'user',
        parts: [{ kind: 'toolResult', callId: 'c', content: [{ kind: 'text', text: 'A screenshot:' }, { kind: 'data', mimeType: 'image/webp', data: WEBP }, { kind: 'data', mimeType: 'application/json', data: bytes('[1]') }] }],
      },
    ]);
    assert.deepEqual(request.messages[1].content, [
      {
        type: 'tool_result',
        tool_use_id: 'c',
        content: [
          { type: 'text', text: 'A screenshot:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: Buffer.from(WEBP).toString('base64') } },
          { type: 'text', text: '[1]' },
        ],
      },
    ]);
  });

  it('skips what the API cannot take, and says what', () => {
    const { request, skipped } = build([
      {
        role: 'user',
        parts: [
          { kind: 'text', text: 'Look' },
          { kind: 'unknown', what: 'prompt-tsx part' },
          { kind: 'data', mimeType: 'image/svg+xml', data: bytes('<svg/>') },
          { kind: 'data', mimeType: 'application/octet-stream', data: PNG },
          { kind: 'toolCall', callId: 'x', name: 'misplaced', input: {} },
          { kind: 'text', text: '' },
        ],
      },
      { role: 'assistant', parts: [{ kind: 'data', mimeType: 'image/png', data: PNG }, { kind: 'text', text: 'Seen.' }] },
    ]);
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'text', text: '[An image of type image/svg+xml was left out: it is not a PNG, JPEG, GIF or WebP image, or it is damaged.]' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Seen.' }] },
    ]);
    assert.deepEqual(skipped, [
      'a prompt-tsx part',
      'an image of type image/svg+xml: it is not a PNG, JPEG, GIF or WebP image, or it is damaged.',
      'a data part of type application/octet-stream',
      'a tool call (misplaced) in a user message',
      'an image in an assistant message',
    ]);
  });

  it('sends system messages (VS Code’s proposed System role) as the system prompt', () => {
    const { request } = build([
      { role: 'system', parts: [{ kind: 'text', text: 'You are terse.' }] },
      { role: 'system', parts: [{ kind: 'text', text: 'Answer in French.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Hi' }] },
    ]);
    assert.equal(request.system, 'You are terse.\n\nAnswer in French.');
    assert.deepEqual(request.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    assert.equal(build([{ role: 'user', parts: [{ kind: 'text', text: 'Hi' }] }]).request.system, undefined);
  });

  it('merges consecutive messages of one role, as the API wants them to alternate, tool results first', () => {
    const { request } = build([
      { role: 'user', parts: [{ kind: 'text', text: 'one' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'two' }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'a', name: 't', input: {} }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'b', name: 't', input: {} }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Here:' }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'a', content: [{ kind: 'text', text: 'A' }] }, { kind: 'toolResult', callId: 'b', content: [] }] },
      // Empty once its unknown part is skipped: it neither stands alone nor splits a merge.
      { role: 'assistant', parts: [{ kind: 'unknown', what: 'thinking part' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'three' }] },
    ]);
    assert.deepEqual(
      request.messages.map((message) => [message.role, (message.content as Array<{ type: string }>).map((block) => block.type)]),
      [
        ['user', ['text', 'text']],
        ['assistant', ['tool_use', 'tool_use']],
        ['user', ['tool_result', 'tool_result', 'text', 'text']],
      ],
    );
    const last = request.messages[2].content as Array<{ type: string; content?: unknown; text?: string }>;
    assert.equal(last[1].content, '', 'an empty result is sent as empty text');
    assert.deepEqual(last.slice(2).map((block) => block.text), ['Here:', 'three']);
  });

  it('joins an answer handed back delta by delta into one text block; a user’s text parts stay apart', () => {
    const { request } = build([
      { role: 'user', parts: [{ kind: 'text', text: 'Rules.' }, { kind: 'text', text: 'Question?' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'I will' }, { kind: 'text', text: ' look.' }, { kind: 'toolCall', callId: 'a', name: 't', input: {} }, { kind: 'text', text: 'Then' }, { kind: 'text', text: ' more.' }] },
    ]);
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Rules.' }, { type: 'text', text: 'Question?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'I will look.' }, { type: 'tool_use', id: 'a', name: 't', input: {} }, { type: 'text', text: 'Then more.' }] },
    ]);
  });

  it('gives a tool call input that is not an object an empty one', () => {
    const { request } = build([{ role: 'assistant', parts: [{ kind: 'toolCall', callId: 'a', name: 't', input: 'oops' }] }]);
    assert.deepEqual((request.messages[0].content as Array<{ input: unknown }>)[0].input, {});
  });
});

describe('language model provider: tools and tool_choice', () => {
  it('offers the tools under valid names, with object schemas, and maps the names back', () => {
    const { request, names, skipped } = build(
      [{ role: 'assistant', parts: [{ kind: 'toolCall', callId: 'a', name: 'mcp_github.create issue', input: {} }] }],
      {
        tools: [
          { name: 'mcp_github.create issue', description: 'Files an issue', inputSchema: { type: 'object', properties: { title: { type: 'string' } } } },
          { name: 'no_schema', description: '' },
          { name: 'no_schema', description: 'twice' },
          { name: 'string_schema', description: 'odd', inputSchema: { type: 'string' } },
          { name: 'typeless', description: 'x', inputSchema: { properties: {} } },
        ],
      },
    );
    assert.deepEqual(request.tools, [
      { name: 'mcp_github_create_issue', description: 'Files an issue', input_schema: { type: 'object', properties: { title: { type: 'string' } } } },
      { name: 'no_schema', input_schema: { type: 'object' } },
      { name: 'string_schema', description: 'odd', input_schema: { type: 'object' } },
      { name: 'typeless', description: 'x', input_schema: { properties: {}, type: 'object' } },
    ]);
    assert.deepEqual(skipped, ['the second tool named "no_schema"']);
    // The earlier call is sent under the name the tool is offered as.
    assert.equal((request.messages[0].content as Array<{ name: string }>)[0].name, 'mcp_github_create_issue');
    assert.equal(names.fromApi('mcp_github_create_issue'), 'mcp_github.create issue');
    assert.deepEqual(request.tool_choice, { type: 'auto' });
  });

  it('asks for a tool call when the caller requires one, and sets no tool_choice without tools', () => {
    assert.deepEqual(toolChoice('required'), { type: 'any' });
    assert.deepEqual(toolChoice('auto'), { type: 'auto' });
    const required = build([{ role: 'user', parts: [{ kind: 'text', text: 'go' }] }], { tools: [{ name: 't', description: 'd' }], toolMode: 'required' });
    assert.deepEqual(required.request.tool_choice, { type: 'any' });
    const none = build([{ role: 'user', parts: [{ kind: 'text', text: 'go' }] }], { toolMode: 'required' });
    assert.equal(none.request.tools, undefined);
    assert.equal(none.request.tool_choice, undefined);
  });

  it('defaults a missing or array schema to an object', () => {
    assert.deepEqual(inputSchema(undefined), { type: 'object' });
    assert.deepEqual(inputSchema([]), { type: 'object' });
  });
});

describe('language model provider: tool names (ToolNames)', () => {
  const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

  it('makes every name valid for the API, and unique', () => {
    const originals = ['a.b', 'a_b', 'a b', '#file', '', 'x'.repeat(80), 'x'.repeat(70), 'ok-name_1', 'ünïcode'];
    const names = new ToolNames(originals);
    const sent = originals.map((name) => names.toApi(name));
    for (const name of sent) assert.match(name, VALID);
    assert.equal(new Set(sent).size, originals.length, `names collide: ${sent.join(', ')}`);
    assert.equal(names.toApi('ok-name_1'), 'ok-name_1', 'a valid name is kept');
    assert.equal(names.toApi(''), 'tool');
    for (const original of originals) assert.equal(names.fromApi(names.toApi(original)), original);
  });

  it('passes a name it never sent through as it came', () => {
    assert.equal(new ToolNames(['a.b']).fromApi('other'), 'other');
  });
});
