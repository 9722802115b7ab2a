/**
 * What the model may do in a conversation: Ask and Plan are offered only the tools that read, Agent
 * every enabled tool. Pure: the host and the page both use it.
 */
export type ChatMode = 'ask' | 'agent' | 'plan';

export const CHAT_MODES: readonly ChatMode[] = ['ask', 'agent', 'plan'];

/** The names the picker, the turn labels and the model read. */
export const MODE_NAMES: Record<ChatMode, string> = { ask: 'Ask', agent: 'Agent', plan: 'Plan' };

/** What Plan's "Run this plan" sends, after switching the conversation to Agent. */
export const RUN_PLAN_PROMPT = 'Carry out the plan above.';
