/**
 * One request of VS Code's language model API, streamed: text as it arrives, each tool call once its
 * block is complete, under the name the caller gave the tool.
 */
import type { MessageResult, RequestOptions } from '../api/client';
import type { Logger } from '../api/log';
import type { LmRequest } from './requestMapping';

export interface LmResponseSink {
  text(delta: string): void;
  toolCall(callId: string, name: string, input: object): void;
}

export interface LmClient {
  createMessage(request: LmRequest['request'], options: RequestOptions): Promise<MessageResult>;
}

export function streamLmResponse(client: LmClient, built: LmRequest, sink: LmResponseSink, signal: AbortSignal, log: Logger): Promise<MessageResult> {
  return client.createMessage(built.request, {
    signal,
    handlers: {
      onTextDelta: (_index, text) => sink.text(text),
      onBlockStop: (_index, block, invalidInput) => {
        if (block.type !== 'tool_use') return;
        const name = built.names.fromApi(block.name);
        // The caller runs the tool: it gets what was complete of the input, and the log says what was not.
        if (invalidInput) log.warn(`Tool call ${name} (${block.id}) had input that is not valid JSON: ${invalidInput.reason}`);
        const input = block.input !== null && typeof block.input === 'object' ? block.input : {};
        sink.toolCall(block.id, name, input);
      },
    },
  });
}
