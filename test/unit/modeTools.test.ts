import * as assert from 'node:assert/strict';
import { toolsOfMode } from '../../src/chat/modeTools';
import type { ToolRunner } from '../../src/tools/types';

describe('a turn’s tools in its mode', () => {
  /** Tools whose listing of other sources (MCP servers, other extensions) is counted. */
  const counting = () => {
    const listed: string[] = [];
    const tools: ToolRunner = {
      definitions: () => [
        { name: 'read_file', input_schema: { type: 'object' } },
        { name: 'mcp__files__write', input_schema: { type: 'object' } },
      ],
      describe: (name) => ({ summary: name, changesFiles: name !== 'read_file' }),
      prepare: (signal) => {
        listed.push(signal.aborted ? 'aborted' : 'listed');
        return Promise.resolve();
      },
      run: () => Promise.resolve({ content: 'ran', status: 'done' }),
    };
    return { tools, listed };
  };

  for (const mode of ['ask', 'plan'] as const) {
    it(`${mode}: lists no other sources (starts no MCP server), offers only what reads`, async () => {
      const { tools, listed } = counting();
      const ofMode = toolsOfMode(tools, mode);
      await ofMode.prepare?.(new AbortController().signal);
      assert.deepEqual(listed, []);
      assert.deepEqual(ofMode.definitions().map((definition) => definition.name), ['read_file']);
    });
  }

  it('agent: lists the other sources before each request', async () => {
    const { tools, listed } = counting();
    await toolsOfMode(tools, 'agent').prepare?.(new AbortController().signal);
    assert.deepEqual(listed, ['listed']);
  });
});
