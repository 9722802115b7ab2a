/**
 * A turn's tools in its mode: Ask and Plan offer only the tools that do not change anything (by each
 * tool's own `describe`: edits, new files and commands change), and a call the model makes to another
 * anyway is refused with an error result, never run. Agent offers them all. Other sources' tools (MCP
 * servers', other extensions') count as changing, so Ask and Plan do not list them either: no server
 * is started for a turn that cannot use it, and no request waits for one.
 */
import type { ChatMode } from '../shared/chatModes';
import { failed, type ToolRunner } from '../tools/types';
import { notInModeResult } from './prompts';

export function toolsOfMode(tools: ToolRunner, mode: ChatMode): ToolRunner {
  if (mode === 'agent') return tools;
  return {
    definitions: () => tools.definitions().filter((definition) => !tools.describe(definition.name, {}).changesFiles),
    describe: (name, input) => tools.describe(name, input),
    run: async (call, context) => (tools.describe(call.name, call.input).changesFiles ? failed(notInModeResult(call.name, mode)) : tools.run(call, context)),
  };
}
