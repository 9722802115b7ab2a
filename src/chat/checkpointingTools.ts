/**
 * The hook "before a changing tool": wraps a turn's tools so that the first call that changes files
 * (any tool whose `describe` says so: edits, new files, commands) waits for a checkpoint of the
 * workspace first, once per turn, and the edit tools hand `keep` each file's bytes before they change
 * it. Calls that only read run as before. A checkpoint that fails does not stop the tool: `take`
 * reports it, and the edit tools' own undo still holds.
 */
import { refused, type ChangeRecorder, type ToolRunner } from '../tools/types';

export function checkpointBeforeChanges(tools: ToolRunner, take: () => Promise<void>, keep: ChangeRecorder): ToolRunner {
  let taken: Promise<void> | undefined;
  return {
    definitions: () => tools.definitions(),
    describe: (name, input) => tools.describe(name, input),
    ...(tools.prepare ? { prepare: (signal: AbortSignal) => tools.prepare!(signal) } : {}),
    async run(call, context) {
      if (tools.describe(call.name, call.input).changesFiles) {
        taken ??= take().catch(() => {});
        await taken;
        // A first snapshot of a large folder takes seconds: a Stop meanwhile means the tool never starts.
        if (context.signal.aborted) return refused('cancelled');
      }
      return tools.run(call, { ...context, beforeChange: keep });
    },
  };
}
