/**
 * A request of VS Code's language model API, in plain shapes (see `vscode/plainParts.ts`), as a
 * Messages API request. VS Code-free, so every rule is unit tested in Node.
 *
 * System prompts: VS Code's stable roles are User and Assistant only. Callers that have a system
 * prompt put it as text in the first user message, where it stays (nothing tells it apart); the role
 * VS Code's own chat uses through its proposed API (3, `System`) becomes the request's `system`. A
 * message's `name` is not sent: the Messages API has no field for it.
 */
import type { ContentBlockParam, ImageBlock, MessageParam, MessageRequest, TextBlock, ToolChoice, ToolDefinition } from '../api/types';
import { checkImageBytes, imageLeftOutNote, normalMediaType } from '../shared/imageCheck';
import { ToolNames } from './toolNames';

export type PlainPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: PlainPart[] }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  /** A part this mapping does not know (prompt-tsx, thinking, a future type): skipped, and said so. */
  | { kind: 'unknown'; what: string };

export interface PlainMessage {
  role: 'user' | 'assistant' | 'system';
  parts: PlainPart[];
}

export interface PlainTool {
  name: string;
  description: string;
  inputSchema?: object;
}

export type PlainToolMode = 'auto' | 'required';

export interface LmRequestInput {
  messages: PlainMessage[];
  tools: readonly PlainTool[];
  toolMode: PlainToolMode;
  model: string;
  maxTokens: number;
}

export interface LmRequest {
  request: MessageRequest;
  /** The callers' tool names and the API's, to hand each tool call back under the caller's name. */
  names: ToolNames;
  /** What was left out, one line each, for the log. */
  skipped: string[];
}

export function buildLmRequest(input: LmRequestInput): LmRequest {
  const names = new ToolNames([]);
  const skipped: string[] = [];
  const tools = toolDefinitions(input.tools, names, skipped);
  const system: string[] = [];
  const messages: MessageParam[] = [];
  for (const message of input.messages) {
    if (message.role === 'system') {
      system.push(...systemText(message.parts, skipped));
      continue;
    }
    const blocks = messageBlocks(message.role, message.parts, names, skipped);
    if (blocks.length === 0) continue;
    const last = messages.at(-1);
    // The API wants the roles to alternate: consecutive messages of one role are one message.
    if (last?.role === message.role) (last.content as ContentBlockParam[]).push(...blocks);
    else messages.push({ role: message.role, content: blocks });
  }
  for (const message of messages) if (message.role === 'user') putToolResultsFirst(message.content as ContentBlockParam[]);
  const request: MessageRequest = { model: input.model, max_tokens: input.maxTokens, messages };
  if (system.length > 0) request.system = system.join('\n\n');
  if (tools.length > 0) {
    request.tools = tools;
    request.tool_choice = toolChoice(input.toolMode);
  }
  return { request, names, skipped };
}

export function toolChoice(mode: PlainToolMode): ToolChoice {
  return mode === 'required' ? { type: 'any' } : { type: 'auto' };
}

function toolDefinitions(tools: readonly PlainTool[], names: ToolNames, skipped: string[]): ToolDefinition[] {
  const seen = new Set<string>();
  const definitions: ToolDefinition[] = [];
  for (const tool of tools) {
    // The API refuses a request that names one tool twice.
    if (seen.has(tool.name)) {
      skipped.push(`the second tool named "${tool.name}"`);
      continue;
    }
    seen.add(tool.name);
    const definition: ToolDefinition = { name: names.toApi(tool.name), input_schema: inputSchema(tool.inputSchema) };
    if (tool.description) definition.description = tool.description;
    definitions.push(definition);
  }
  return definitions;
}

/** The API requires an object schema; a tool without one takes no input. */
export function inputSchema(schema: object | undefined): ToolDefinition['input_schema'] {
  if (!schema || Array.isArray(schema)) return { type: 'object' };
  const type = (schema as { type?: unknown }).type;
  if (type === undefined || type === 'object') return { ...schema, type: 'object' };
  return { type: 'object' };
}

function systemText(parts: PlainPart[], skipped: string[]): string[] {
  return parts.flatMap((part) => {
    if (part.kind === 'text') return part.text ? [part.text] : [];
    skipped.push(`a ${describe(part)} in a system message`);
    return [];
  });
}

/** The blocks of one user or assistant message, in order. */
export function messageBlocks(role: 'user' | 'assistant', parts: PlainPart[], names: ToolNames, skipped: string[]): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of parts) {
    if (part.kind === 'toolCall' && role === 'assistant') {
      blocks.push({ type: 'tool_use', id: part.callId, name: names.toApi(part.name), input: isObject(part.input) ? part.input : {} });
    } else if (part.kind === 'toolResult' && role === 'user') {
      blocks.push({ type: 'tool_result', tool_use_id: part.callId, content: resultContent(part.content, skipped) });
    } else if (part.kind === 'toolCall' || part.kind === 'toolResult') {
      skipped.push(`a ${describe(part)} in a ${role} message`);
    } else {
      const block = contentBlock(part, role, skipped);
      const last = blocks.at(-1);
      // An answer handed back as it streamed is one text part per delta: its text is one block again.
      if (role === 'assistant' && block?.type === 'text' && last?.type === 'text') last.text += block.text;
      else if (block) blocks.push(block);
    }
  }
  return blocks;
}

function resultContent(parts: PlainPart[], skipped: string[]): Array<TextBlock | ImageBlock> | string {
  const blocks = parts.flatMap((part) => {
    if (part.kind === 'toolCall' || part.kind === 'toolResult') {
      skipped.push(`a ${describe(part)} inside a tool result`);
      return [];
    }
    const block = contentBlock(part, 'user', skipped);
    return block ? [block] : [];
  });
  return blocks.length > 0 ? blocks : '';
}

/** Text, or an image (user messages only), from a text, data or unknown part. */
function contentBlock(part: Exclude<PlainPart, { kind: 'toolCall' } | { kind: 'toolResult' }>, role: 'user' | 'assistant', skipped: string[]): TextBlock | ImageBlock | undefined {
  if (part.kind === 'text') return part.text ? { type: 'text', text: part.text } : undefined;
  if (part.kind === 'unknown') {
    skipped.push(`a ${part.what}`);
    return undefined;
  }
  const mimeType = normalMediaType(part.mimeType);
  if (mimeType.startsWith('image/')) {
    if (role !== 'user') {
      skipped.push(`an image in an assistant message`);
      return undefined;
    }
    // An image the API would refuse fails the whole request: the model is told why instead, so the
    // caller still gets an answer (and the user can be told by it).
    const checked = checkImageBytes(part.data, mimeType);
    if (!checked.ok) {
      skipped.push(`an image of type ${mimeType}: ${checked.reason}`);
      return { type: 'text', text: imageLeftOutNote(`An image of type ${mimeType}`, checked.reason) };
    }
    return { type: 'image', source: { type: 'base64', media_type: checked.info.mediaType, data: Buffer.from(part.data).toString('base64') } };
  }
  if (mimeType.startsWith('text/') || mimeType === 'application/json' || mimeType.endsWith('+json')) {
    const text = new TextDecoder().decode(part.data);
    return text ? { type: 'text', text } : undefined;
  }
  skipped.push(`a data part of type ${mimeType}`);
  return undefined;
}

/** A user message that answers tool calls must begin with their results. */
function putToolResultsFirst(blocks: ContentBlockParam[]): void {
  const results = blocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0) return;
  const others = blocks.filter((block) => block.type !== 'tool_result');
  blocks.splice(0, blocks.length, ...results, ...others);
}

function describe(part: PlainPart): string {
  switch (part.kind) {
    case 'toolCall':
      return `tool call (${part.name})`;
    case 'toolResult':
      return 'tool result';
    case 'data':
      return `data part (${part.mimeType})`;
    case 'unknown':
      return part.what;
    default:
      return 'text part';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
