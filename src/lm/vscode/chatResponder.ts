/**
 * The answers of the Claude Sonnet 4.6 that other extensions use through VS Code's language model
 * API: their messages mapped to a Messages API request, sent with our key, client and retries, and the
 * answer streamed back as VS Code's response parts.
 */
import * as vscode from 'vscode';
import type { ClientOptions } from '../../api/client';
import { costOfMessage } from '../../api/pricing';
import { ApiError } from '../../api/errors';
import { missingApiKeyError } from '../../chat/errorPresentation';
import type { SonnetConfig } from '../../chat/settings';
import { buildLmRequest } from '../requestMapping';
import { streamLmResponse, type LmClient } from '../lmResponse';
import { languageModelError } from './languageModelError';
import { plainMessage, plainTool } from './plainParts';
import { messageTokens, textTokens } from '../tokenCount';

export interface ResponderDeps {
  /** The stored key (or the environment's); a request never asks for one. */
  apiKey(): Promise<string | undefined>;
  readConfig(): SonnetConfig;
  createClient(options: ClientOptions): LmClient;
  log: vscode.LogOutputChannel;
  /** A request ended, `credits` charged for it (undefined when it got no answer to count). */
  onSpent(credits: number | undefined): void;
}

export class LanguageModelResponder {
  constructor(private readonly deps: ResponderDeps) {}

  /** The estimate the context window uses. */
  countTokens(text: string | vscode.LanguageModelChatRequestMessage): number {
    return typeof text === 'string' ? textTokens(text) : messageTokens(plainMessage(text));
  }

  async respond(
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { log } = this.deps;
    const caller = callerOf(options);
    const apiKey = await this.deps.apiKey();
    if (!apiKey) {
      log.warn(`Language model request from ${caller} refused: no API key`);
      throw languageModelError(missingApiKeyError());
    }
    const config = this.deps.readConfig();
    const built = buildLmRequest({
      messages: messages.map(plainMessage),
      tools: (options.tools ?? []).map(plainTool),
      toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
      model: config.model,
      maxTokens: config.maxTokens,
    });
    for (const note of built.skipped) log.warn(`Language model request from ${caller}: left out ${note}`);
    log.info(`Language model request from ${caller}`);
    if (token.isCancellationRequested) throw new vscode.CancellationError();

    // Cancelling aborts the fetch: the connection to the provider closes.
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    const client = this.deps.createClient({ baseUrl: config.baseUrl, apiKey, timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, log });
    let credits: number | undefined;
    try {
      const result = await streamLmResponse(
        client,
        built,
        {
          text: (delta) => progress.report(new vscode.LanguageModelTextPart(delta)),
          toolCall: (callId, name, input) => progress.report(new vscode.LanguageModelToolCallPart(callId, name, input)),
        },
        abort.signal,
        log,
      );
      credits = result.cost.credits;
      log.info(`Language model request from ${caller} answered: ${Number(credits.toFixed(4))} credits (${result.cost.source})`);
    } catch (error) {
      // What streamed before a failure or a stop was charged too.
      if (error instanceof ApiError && error.partial) credits = costOfMessage(error.partial).credits;
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw languageModelError(error);
    } finally {
      cancelled.dispose();
      this.deps.onSpent(credits);
    }
  }
}

/**
 * Who asked: VS Code 1.106's API does not say, but its hosts since pass the calling extension's id as
 * `requestInitiator` (a proposed field; `core` for VS Code's own chat).
 */
function callerOf(options: vscode.ProvideLanguageModelChatResponseOptions): string {
  const initiator = (options as { requestInitiator?: unknown }).requestInitiator;
  return typeof initiator === 'string' && initiator ? initiator : 'an extension VS Code does not name';
}
