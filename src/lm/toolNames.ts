/**
 * Tool names as the Messages API accepts them, for the tools another extension offers through VS
 * Code's language model API, whose names may hold dots, slashes or spaces (`mcp_github.create_issue`,
 * `#file`): the same names the tool layer gives other sources' tools (`src/tools/toolNames.ts`). The
 * model calls the name it was given; the caller is handed back the name it used.
 */
import { ToolNames as UniqueToolNames } from '../tools/toolNames';

/** A caller's tool names and the API names they are sent as, one to one. */
export class ToolNames {
  private readonly names = new UniqueToolNames([]);
  private readonly originalByApi = new Map<string, string>();

  constructor(originals: Iterable<string>) {
    for (const original of originals) this.toApi(original);
  }

  /** The name sent for `original`; a tool the request did not offer (an earlier call) gets one too. */
  toApi(original: string): string {
    const name = this.names.nameFor(original, original);
    this.originalByApi.set(name, original);
    return name;
  }

  /** The caller's name for what the model called; a name never sent is passed through as it came. */
  fromApi(apiName: string): string {
    return this.originalByApi.get(apiName) ?? apiName;
  }
}
