/**
 * Assembles a turn's request: the system prompt, the conversation so far with the turn's messages
 * (prompt with its attachments, then any tool rounds), the tools, and as many of the oldest turns
 * left out as the context window requires.
 */
import type { MessageParam, MessageRequest, ToolDefinition } from '../api/types';
import type { ChatMode } from '../shared/chatModes';
import { toolDefinition, TOOL_SPECS } from '../tools/definitions';
import { contextOverflowMessage, fitToContext, omittedTurnsNote } from './contextWindow';
import type { Conversation } from './conversation';
import { contextOverflowError } from './errorPresentation';
import { systemPrompt } from './prompts';
import type { SonnetConfig } from './settings';

export function buildRequest(config: SonnetConfig, messages: MessageParam[], tools: ToolDefinition[] = [], mode: ChatMode = config.defaultMode): MessageRequest {
  return {
    model: config.model,
    max_tokens: config.maxTokens,
    system: systemPrompt(config.systemPrompt, mode),
    messages,
    ...toolsOfRequest(messages, tools),
    // Sent only when on: a provider that does not know the flag is not asked to ignore it.
    ...(config.thinking ? { thinkingFlag: true } : {}),
  };
}

/**
 * Tools are offered only when at least one is on; the model then decides whether to call any. With
 * all off, a history that holds tool calls still declares them (the API rejects `tool_use` blocks of
 * undeclared tools), with `tool_choice: none` so that none is called.
 */
function toolsOfRequest(messages: MessageParam[], tools: ToolDefinition[]): Pick<MessageRequest, 'tools' | 'tool_choice'> {
  if (tools.length > 0) return { tools, tool_choice: { type: 'auto' } };
  const hasToolCalls = messages.some((message) => Array.isArray(message.content) && message.content.some((block) => block.type === 'tool_use'));
  return hasToolCalls ? { tools: TOOL_SPECS.map(toolDefinition), tool_choice: { type: 'none' } } : {};
}

export interface FittedRequest {
  request: MessageRequest;
  /** Said on the turn when older turns were left out. */
  contextNote?: string;
}

/**
 * The request for a turn whose own messages so far are `current`, after the conversation's history;
 * throws, before anything is sent, when the turn alone is too long for the window.
 */
export function fitRequest(conversation: Conversation, config: SonnetConfig, current: MessageParam[], tools: ToolDefinition[]): FittedRequest {
  const request = buildRequest(config, [...conversation.messages, ...current], tools, conversation.mode);
  const fit = fitToContext({
    system: request.system ?? '',
    history: conversation.messages,
    // This turn's messages (prompt, tool calls and results) are never left out.
    current,
    tools: request.tools,
    maxTokens: request.max_tokens,
    calibration: conversation.calibration,
  });
  if (!fit.fits) throw contextOverflowError(contextOverflowMessage(fit));
  const fitted = { ...request, messages: fit.messages };
  return fit.omittedTurns > 0 ? { request: fitted, contextNote: omittedTurnsNote(fit.omittedTurns) } : { request: fitted };
}
