/**
 * The header's context meter: the next request's estimate split by what takes the room (the system
 * prompt and tools, the history, attachments, tool results, images), beside what the provider counted
 * for the last one.
 */
import type { ContentBlockParam, MessageParam, MessageRequest, ToolDefinition } from '../api/types';
import type { ContextMeterView } from '../shared/protocol';
import { imageBlockTokens } from '../shared/imageInfo';
import { CONTEXT_WINDOW_TOKENS, tokensPerChar } from './contextWindow';
import type { Conversation } from './conversation';
import { limitImages } from './imageLimit';
import { buildRequest } from './requestBuilder';
import type { SonnetConfig } from './settings';

/** The meter of `conversation` with nothing typed yet: its next request is its history and a prompt to come. */
export function contextMeterOf(conversation: Conversation, config: SonnetConfig, tools: ToolDefinition[]): ContextMeterView {
  // The images over a request's limit are not sent, so they take no room.
  const request = buildRequest(config, limitImages(conversation.sentHistory()).messages, tools, conversation.mode ?? config.defaultMode);
  // A prompt's content beyond its bubble's text is what was attached to it.
  const typed = new Map(conversation.turns.map((turn) => [turn.prompt.content, turn.prompt.text.length]));
  const next = estimateSplit(request, tokensPerChar(conversation.calibration), (content) => Math.max(0, content.length - (typed.get(content) ?? content.length)));
  return { window: CONTEXT_WINDOW_TOKENS, ...(conversation.lastRequestTokens !== undefined ? { lastRequestTokens: conversation.lastRequestTokens } : {}), next };
}

/**
 * A request's estimate by part, in the estimator's density; images by their size
 * (`imageBlockTokens`), not their base64 characters. `attachedChars` says how much of a prompt was attached.
 */
export function estimateSplit(request: Pick<MessageRequest, 'system' | 'messages' | 'tools'>, density: number, attachedChars: (content: string) => number): ContextMeterView['next'] {
  const tokens = (chars: number) => Math.ceil(chars * density);
  let toolResultChars = 0;
  let attachmentChars = 0;
  let imageChars = 0;
  let toolImageChars = 0;
  let images = 0;
  const countImage = (block: ContentBlockParam): number => {
    if (block.type !== 'image') return 0;
    images += imageBlockTokens(block);
    const chars = JSON.stringify(block).length;
    imageChars += chars;
    return chars;
  };
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      if (message.role === 'user') attachmentChars += attachedChars(message.content);
      continue;
    }
    for (const block of message.content) {
      countImage(block);
      if (block.type !== 'tool_result') continue;
      toolResultChars += JSON.stringify(block).length;
      if (Array.isArray(block.content)) for (const part of block.content) toolImageChars += countImage(part);
    }
  }
  const systemAndTools = tokens((request.system?.length ?? 0) + (request.tools ? JSON.stringify(request.tools).length : 0));
  const messageChars = JSON.stringify(request.messages satisfies MessageParam[]).length;
  const toolResults = tokens(Math.max(0, toolResultChars - toolImageChars));
  const attachments = tokens(attachmentChars);
  const history = Math.max(0, tokens(messageChars - imageChars) - toolResults - attachments);
  return { systemAndTools, history, attachments, toolResults, images, total: systemAndTools + history + attachments + toolResults + images };
}
