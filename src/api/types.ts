/**
 * Shapes of the Anthropic Messages API as the provider speaks it. Kept structural and open: the
 * provider may add fields, and unknown content blocks must survive a round trip untouched.
 */

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'tool_use'
  | 'stop_sequence'
  | 'pause_turn'
  | 'refusal'
  // Future stop reasons are passed through rather than rejected.
  | (string & {});

export interface TextBlock {
  type: 'text';
  text: string;
  citations?: unknown[] | null;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  /** Opaque; must be sent back byte for byte in the next request of a tool loop. */
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

/** The image formats the Messages API accepts. */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

export interface ImageBlock {
  type: 'image';
  source: { type: 'base64'; media_type: ImageMediaType; data: string };
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  /** Text, or text and images (a tool may return a picture, such as an image file it read). */
  content: string | Array<TextBlock | ImageBlock>;
  is_error?: boolean;
}

export type ContentBlock = TextBlock | ThinkingBlock | RedactedThinkingBlock | ToolUseBlock;
/** What a request's message may hold: the answer's blocks, and the user's images and tool results. */
export type ContentBlockParam = ContentBlock | ImageBlock | ToolResultBlock;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [field: string]: unknown;
}

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
  /** What the provider charged, when it says so (body, `message_delta` or `message_stop`). */
  credits_consumed?: number;
  [field: string]: unknown;
}

export interface MessageParam {
  role: 'user' | 'assistant';
  content: string | ContentBlockParam[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  input_schema: { type: 'object'; [keyword: string]: unknown };
}

export type ToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface MessageRequest {
  model: string;
  messages: MessageParam[];
  max_tokens: number;
  system?: string;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  /** The provider's switch for extended thinking. */
  thinkingFlag?: boolean;
  stop_sequences?: string[];
  temperature?: number;
}
