/**
 * Tools that are not ours, as the composite runner (`compositeTools.ts`) offers them: other
 * extensions' and VS Code's (`vscode/vscodeTools.ts`), and MCP servers' (`mcpTools.ts`). Each may do
 * anything, so each call asks for approval unless the user allow-listed the tool or its server.
 */
import type { ImageBlock, ToolDefinition } from '../api/types';

/** What a call gave back, before it is cut to size: its text, its images, and whether the tool called it an error. */
export interface ExternalResult {
  text: string;
  images: ImageBlock[];
  isError: boolean;
}

export interface ExternalTool {
  /** Says where the tool comes from and what its source calls it: the same tool has the same key in every listing. */
  key: string;
  /** The name it would like to be offered by (sanitized and made unique before it is). */
  wantedName: string;
  /** Where it comes from, for the tool card and the model: `the extension acme.weather`, `the MCP server github`. */
  origin: string;
  description?: string;
  inputSchema: ToolDefinition['input_schema'];
  /** The user allow-listed it (or its server): it runs without a card. Read at each call. */
  allowed(): boolean;
  /** What the card's "Always allow …" names (`the tool acme_lookup`, `tools of the MCP server github of your settings`). */
  alwaysAllowLabel: string;
  /** Writes the allow-list entry "Always allow" on the card stands for. */
  allowAlways(): Promise<void>;
  /** Runs it; Stop or the time limit aborts `signal`. Throws when the tool fails. */
  call(input: unknown, signal: AbortSignal): Promise<ExternalResult>;
}

export interface ExternalToolSource {
  /** For the log: `VS Code's tools`, `MCP servers`. */
  label: string;
  /** The tools to offer now; may take a while (an MCP server starts), and may throw. */
  list(signal: AbortSignal): Promise<ExternalTool[]>;
}
