/**
 * The read-only tools offered to VS Code's own agent and to other extensions through the Language
 * Model Tools API (declared under `languageModelTools` in package.json, registered by extension.ts).
 * Consent for files that may hold secrets is VS Code's confirmation dialog here.
 */
import * as vscode from 'vscode';
import { summarizeCall, TOOL_SPECS } from '../definitions';
import type { ToolRegistry } from '../registry';
import { signalFor } from './cancellation';

/** The name under which a tool is offered; package.json declares the same names. */
export const languageModelToolName = (name: string) => `sonnet_${name}`;

/** Each read-only tool, by the name VS Code knows it by (extension.ts registers them). */
export function languageModelTools(registry: ToolRegistry): Map<string, vscode.LanguageModelTool<unknown>> {
  const readOnly = TOOL_SPECS.filter((spec) => !spec.changesFiles);
  return new Map(
    readOnly.map((spec) => [
      languageModelToolName(spec.name),
      {
        prepareInvocation: async ({ input }) => {
          const question = await registry.consentQuestion(spec.name, input);
          return {
            invocationMessage: `Sonnet Chat: ${spec.name} ${summarizeCall(spec.name, input)}`,
            ...(question ? { confirmationMessages: { title: 'Allow access to a file that may hold secrets?', message: question } } : {}),
          };
        },
        invoke: async ({ input }, token) => {
          const cancellation = signalFor(token);
          const outcome = await registry.runConsented(spec.name, input, cancellation.signal).finally(() => {
            cancellation.dispose();
          });
          // VS Code hands a thrown error's message to the model as the failed call's result.
          if (outcome.status !== 'done') throw new Error(outcome.content);
          // An image read (read_file) reaches the calling model as an image, after the text that names it.
          const images = (outcome.images ?? []).map((image) => vscode.LanguageModelDataPart.image(Buffer.from(image.source.data, 'base64'), image.source.media_type));
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.content), ...images]);
        },
      },
    ]),
  );
}
