/**
 * Names that the Messages API accepts for a tool (`^[a-zA-Z0-9_-]{1,64}$`), made from the names other
 * sources give theirs (an MCP server's `get-weather.v2`, a VS Code tool's, of any length), unique among
 * all offered tools and never one of ours. A name once given to a tool stays its name: the history
 * holds calls by that name, and the model's next request must mean the same tool.
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME_LENGTH = 64;
const VALID_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Eight hex digits of a hash: what tells apart two names that are the same once cut or sanitized. */
const HASH_LENGTH = 8;

export function isValidToolName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** `wanted` with every character the API refuses turned into `_` (empty: `tool`). */
export function sanitizeToolName(wanted: string): string {
  const sanitized = wanted.replace(/[^a-zA-Z0-9_-]/g, '_');
  return sanitized === '' ? 'tool' : sanitized;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * Gives each tool, by its `key` (which says where it comes from and what its source calls it), the
 * name it keeps: `wanted` sanitized; cut, with a hash of the key, when too long or already taken.
 */
export class ToolNames {
  private readonly byKey = new Map<string, string>();
  private readonly taken: Set<string>;

  /** `reserved`: our own tools' names, which no other tool may take. */
  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  nameFor(key: string, wanted: string): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const sanitized = sanitizeToolName(wanted);
    let name = sanitized.length <= MAX_TOOL_NAME_LENGTH && !this.taken.has(sanitized) ? sanitized : withHash(sanitized, shortHash(key));
    // Two keys with the same hash (or a tool that is itself named like a hashed one): count on.
    for (let n = 2; this.taken.has(name); n++) name = withHash(sanitized, `${shortHash(key)}${n}`);
    this.byKey.set(key, name);
    this.taken.add(name);
    return name;
  }
}

function withHash(name: string, hash: string): string {
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - hash.length - 1)}_${hash}`;
}
