/**
 * The read-only tools offered to VS Code's own agent and to other extensions through the Language
 * Model Tools API (`vscode.lm.registerTool`, declared under `languageModelTools` in package.json).
 * Consent for files that may hold secrets is VS Code's confirmation dialog here.
 */
import * as vscode from 'vscode';
import { summarizeCall, TOOL_SPECS } from '../definitions';
import type { ToolRegistry } from '../registry';
import { signalFor } from './cancellation';

/** The name under which a tool is registered; package.json declares the same names. */
const languageModelToolName = (name: string) => `sonnet_${name}`;

export function registerLanguageModelTools(registry: ToolRegistry): vscode.Disposable[] {
  // Feature-detected: hosts without the API (older builds, some forks) still get the chat's own tools.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return TOOL_SPECS.filter((spec) => !spec.changesFiles).flatMap((spec) => {
    try {
      return [
        vscode.lm.registerTool<unknown>(languageModelToolName(spec.name), {
          prepareInvocation: ({ input }) => {
            const question = registry.consentQuestion(spec.name, input);
            return {
              invocationMessage: `Sonnet Chat: ${spec.name} ${summarizeCall(spec.name, input)}`,
              ...(question ? { confirmationMessages: { title: 'Allow access to a file that may hold secrets?', message: question } } : {}),
            };
          },
          invoke: async ({ input }, token) => {
            const outcome = await registry.runConsented(spec.name, input, signalFor(token));
            // VS Code hands a thrown error's message to the model as the failed call's result.
            if (outcome.status !== 'done') throw new Error(outcome.content);
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.content)]);
          },
        }),
      ];
    } catch (error) {
      console.warn(`Sonnet Chat: could not register the ${spec.name} tool with VS Code`, error);
      return [];
    }
  });
}
