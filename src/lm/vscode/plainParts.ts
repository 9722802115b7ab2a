/** VS Code's language model messages and tools in the plain shapes `requestMapping.ts` maps. */
import * as vscode from 'vscode';
import type { PlainMessage, PlainPart, PlainTool } from '../requestMapping';

/** `LanguageModelChatMessageRole.System` of VS Code's proposed API, which its own chat sends. */
const PROPOSED_SYSTEM_ROLE = 3;

export function plainMessage(message: vscode.LanguageModelChatRequestMessage): PlainMessage {
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (message.role as number) === PROPOSED_SYSTEM_ROLE ? 'system' : 'user';
  return { role, parts: message.content.map(plainPart) };
}

export function plainPart(part: unknown): PlainPart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof vscode.LanguageModelToolResultPart) return { kind: 'toolResult', callId: part.callId, content: part.content.map(plainPart) };
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'unknown', what: 'prompt-tsx part' };
  const name = (part as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return { kind: 'unknown', what: `part of an unknown type (${typeof name === 'string' ? name : typeof part})` };
}

export function plainTool(tool: vscode.LanguageModelChatTool): PlainTool {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
}
