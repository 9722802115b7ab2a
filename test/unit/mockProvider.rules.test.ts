import * as assert from 'node:assert/strict';
import { requestProblem } from '../fixtures/requestRules';

const call = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read', input: {} }] };
const prompt = { role: 'user', content: 'Go' };
const result = (id = 'toolu_1') => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });

/** The mock provider refuses what the real API refuses, so no test passes on a request it would reject. */
describe('the mock provider’s request rules', () => {
  it('accepts a tool call answered by its result first in the next message', () => {
    assert.equal(requestProblem({ messages: [prompt, call, { role: 'user', content: [result(), { type: 'text', text: 'and' }] }], tools: [{ name: 'read' }], tool_choice: { type: 'any' } }), undefined);
    assert.equal(requestProblem({ messages: [prompt, call] }), undefined, 'a last assistant message may end with its call');
  });

  it('refuses a tool call without its result, a result without its call, and a result after text', () => {
    assert.match(requestProblem({ messages: [prompt, call, { role: 'user', content: 'next' }] }) ?? '', /without tool_result/);
    assert.match(requestProblem({ messages: [prompt, call, { role: 'user', content: [result('toolu_9'), result()] }] }) ?? '', /unexpected tool_use_id toolu_9/);
    assert.match(requestProblem({ messages: [prompt, call, { role: 'user', content: [{ type: 'text', text: 'x' }, result()] }] }) ?? '', /must come first/);
  });

  it('refuses more than 100 images, counting those in tool results', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } };
    const withResult = (prompts: number) => [
      { role: 'user', content: Array.from({ length: prompts }, () => image) },
      call,
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'Image' }, image] }] },
    ];
    assert.equal(requestProblem({ messages: withResult(99) }), undefined);
    assert.match(requestProblem({ messages: withResult(100) }) ?? '', /too many images \(101\)/);
  });

  it('refuses invalid or repeated tool names, and a tool_choice without its tools', () => {
    assert.match(requestProblem({ messages: [prompt], tools: [{ name: 'a.b' }] }) ?? '', /does not match/);
    assert.match(requestProblem({ messages: [prompt], tools: [{ name: 'a' }, { name: 'a' }] }) ?? '', /unique/);
    assert.match(requestProblem({ messages: [prompt], tool_choice: { type: 'any' } }) ?? '', /needs tools/);
    assert.match(requestProblem({ messages: [prompt], tools: [{ name: 'a' }], tool_choice: { type: 'tool', name: 'b' } }) ?? '', /no tool named b/);
  });
});
