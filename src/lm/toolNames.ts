/**
 * Tool names as the Messages API accepts them (`^[a-zA-Z0-9_-]{1,64}$`), for the tools another
 * extension offers through VS Code's language model API, whose names may hold dots, slashes or spaces
 * (`mcp_github.create_issue`, `#file`). The model calls the name it was given; the caller is handed
 * back the name it used.
 */

const MAX_NAME_LENGTH = 64;
const INVALID_CHARS = /[^a-zA-Z0-9_-]/g;

/** A caller's tool names and the API names they are sent as, one to one. */
export class ToolNames {
  private readonly apiByOriginal = new Map<string, string>();
  private readonly originalByApi = new Map<string, string>();

  constructor(originals: Iterable<string>) {
    for (const original of originals) this.add(original);
  }

  /** The name sent for `original`; a tool the request did not offer (an earlier call) gets one too. */
  toApi(original: string): string {
    return this.apiByOriginal.get(original) ?? this.add(original);
  }

  /** The caller's name for what the model called; a name never sent is passed through as it came. */
  fromApi(apiName: string): string {
    return this.originalByApi.get(apiName) ?? apiName;
  }

  private add(original: string): string {
    const known = this.apiByOriginal.get(original);
    if (known) return known;
    const base = (original.replace(INVALID_CHARS, '_') || 'tool').slice(0, MAX_NAME_LENGTH);
    let name = base;
    // Two names that read the same once cleaned (`a.b`, `a_b`) stay two tools.
    for (let n = 2; this.originalByApi.has(name); n++) name = `${base.slice(0, MAX_NAME_LENGTH - String(n).length - 1)}_${n}`;
    this.apiByOriginal.set(original, name);
    this.originalByApi.set(name, original);
    return name;
  }
}
