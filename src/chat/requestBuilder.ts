/**
 * Assembles a turn's request: the system prompt, the conversation so far with the turn's messages
 * (prompt with its attachments, then any tool rounds), the tools, and as many of the oldest turns
 * left out as the context window requires.
 */
import type { MessageParam, MessageRequest, ToolDefinition, ToolUseBlock } from '../api/types';
import type { ChatMode } from '../shared/chatModes';
import { toolDefinition, TOOL_SPECS } from '../tools/definitions';
import { KEEP_RECENT_TURNS, planCompaction } from './compaction';
import { contextOverflowMessage, fitToContext, inputBudget, omittedTurnsNote, requestTokens, tokensPerChar } from './contextWindow';
import type { Conversation } from './conversation';
import { contextOverflowError } from './errorPresentation';
import { leftOutImagesNote, limitImages } from './imageLimit';
import { systemPrompt } from './prompts';
import type { SonnetConfig } from './settings';
import { clearOldToolResults, KEEP_LATEST_TOOL_RESULTS } from './toolResultClearing';

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
  /** Said on the turn when older turns were left out, or tool results of this turn cleared. */
  contextNote?: string;
  /** The request's estimated input tokens, as fitted. */
  estimatedTokens: number;
  /** Its estimate (images included) before tool results were cleared or turns left out: what compaction is decided by. */
  wholeTokens: number;
}

export interface FitOptions {
  /** A tool call's summary, for the stub of its cleared result. */
  describeCall?: (call: ToolUseBlock) => string;
  /** `sonnet.compaction.threshold` in tokens: passing it with nothing older to compact clears tool results. */
  thresholdTokens?: number;
}

/**
 * The request for a turn whose own messages so far are `current`, after the conversation's history
 * (compacted, if it was): the oldest images over the API's limit left out, this turn's oldest tool results cleared when it would overflow (or pass the
 * threshold with nothing older to compact), then the oldest turns left out if it must. Throws, before
 * anything is sent, when even that is too long for the window.
 */
export function fitRequest(conversation: Conversation, config: SonnetConfig, current: MessageParam[], tools: ToolDefinition[], options: FitOptions = {}): FittedRequest {
  const sent = conversation.sentHistory();
  const limited = limitImages([...sent, ...current]);
  const history = limited.messages.slice(0, sent.length);
  const turnMessages = limited.messages.slice(sent.length);
  const whole = buildRequest(config, limited.messages, tools, conversation.mode);
  const density = tokensPerChar(conversation.calibration);
  const budget = inputBudget(whole.max_tokens);
  const threshold = options.thresholdTokens;
  const compactable = planCompaction({ estimatedTokens: 0, thresholdTokens: undefined, messages: conversation.messages, latest: conversation.latestCompaction(), armed: true, keepTurns: KEEP_RECENT_TURNS, onDemand: true }).compact;
  // Text by the density and images by their pixels, as `fitToContext` counts them.
  const wholeTokens = requestTokens(whole, density);
  const target = wholeTokens > budget ? budget : threshold !== undefined && !compactable ? threshold : undefined;
  const cleared =
    target === undefined
      ? { messages: turnMessages, cleared: 0 }
      : clearOldToolResults(turnMessages, {
          keepLatest: KEEP_LATEST_TOOL_RESULTS,
          describe: options.describeCall ?? (() => ''),
          tokensPerChar: density,
          enough: (saved) => wholeTokens - saved <= target,
        });
  // A summary stays when turns must be left out: it is the most said in the fewest tokens.
  const pinned = conversation.latestCompaction() ? history.slice(0, 2) : [];
  const fit = fitToContext({
    system: whole.system ?? '',
    history: history.slice(pinned.length),
    pinned,
    // This turn's messages (prompt, tool calls and results) are never left out.
    current: cleared.messages,
    tools: whole.tools,
    maxTokens: whole.max_tokens,
    calibration: conversation.calibration,
  });
  if (!fit.fits) throw contextOverflowError(contextOverflowMessage(fit));
  const notes = [limited.leftOut > 0 ? leftOutImagesNote(limited.leftOut) : undefined, cleared.cleared > 0 ? clearedResultsNote(cleared.cleared) : undefined, fit.omittedTurns > 0 ? omittedTurnsNote(fit.omittedTurns) : undefined].filter((note) => note !== undefined);
  const request = { ...whole, messages: fit.messages };
  const estimates = { estimatedTokens: fit.estimatedTokens, wholeTokens };
  return notes.length > 0 ? { request, contextNote: notes.join(' '), ...estimates } : { request, ...estimates };
}

function clearedResultsNote(count: number): string {
  return count === 1
    ? '1 earlier tool result of this turn was cleared from the request to fit the context window (its card keeps it).'
    : `${count} earlier tool results of this turn were cleared from the request to fit the context window (their cards keep them).`;
}
