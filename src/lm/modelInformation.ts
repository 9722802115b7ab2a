/** The model Sonnet Chat offers VS Code's language model API (`vscode.lm.selectChatModels`). */
import { CONTEXT_WINDOW_TOKENS } from '../chat/contextWindow';

/** The vendor id of package.json's `languageModelChatProviders`. */
export const LM_VENDOR = 'sonnet-chat';
export const LM_MODEL_ID = 'claude-sonnet-4-6';

export function sonnetModelInformation(maxTokens: number) {
  return {
    id: LM_MODEL_ID,
    name: 'Claude Sonnet 4.6',
    family: 'claude-sonnet-4.6',
    version: '4.6',
    detail: 'Sonnet Chat',
    tooltip: "Claude Sonnet 4.6 through Sonnet Chat's key, with its retries and credit accounting.",
    // The window holds the input and the answer together.
    maxInputTokens: CONTEXT_WINDOW_TOKENS - maxTokens,
    maxOutputTokens: maxTokens,
    capabilities: { toolCalling: true, imageInput: true },
  };
}
