/**
 * Activation registers what package.json promises (its commands, the Chat view, the documents of
 * proposed edits, the tools offered to VS Code's agent) and nothing more. The code behind them,
 * dist/session.js, is loaded the first time one of them is used: compiling it costs more than all the
 * rest of activation (BENCHMARKS.md), and many windows never use the chat.
 */
import * as vscode from 'vscode';
import { describeError } from './api/log';
import { ApiKeyStore } from './auth/apiKeyStore';
import { CHAT_VIEW_ID, PROPOSAL_SCHEME } from './contributionIds';
import { registerSonnetChatModels } from './lm/vscode/sonnetChatModels';
import type { Session } from './session';
import { lazyLog, type LazyLog } from './ui/log';

interface Contributions {
  commands: Array<{ command: string }>;
  languageModelTools?: Array<{ name: string }>;
}

/** The session, once a contribution has started it; deactivation waits for what it still writes. */
let session: Session | undefined;

export function activate(context: vscode.ExtensionContext): void {
  session = undefined;
  const log = lazyLog();
  // A separate bundle (see esbuild.mjs), required here so that it is only loaded when needed: an
  // import would load it with this file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const started = (): Session => (session ??= (require('./session.js') as typeof import('./session')).startSession(context, log()));
  const keys = new ApiKeyStore(context.secrets);
  const { commands, languageModelTools = [] } = (context.extension.packageJSON as { contributes: Contributions }).contributes;

  context.subscriptions.push(
    ...commands.map(({ command }) => vscode.commands.registerCommand(command, (...args: unknown[]) => runCommand(started(), command, args))),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, {
      resolveWebviewView: (...args) => started().chatView.resolveWebviewView(...args),
    }),
    // Before the session starts nothing was proposed: a diff restored with the window shows nothing.
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
      provideTextDocumentContent: (...args) => session?.proposals.provideTextDocumentContent(...args) ?? '',
    }),
    ...languageModelTools.flatMap(({ name }) => registerTool(name, () => started().languageModelTools.get(name), log)),
    // Listing the model needs only the key: VS Code asks every provider at start, and the session waits for a use.
    ...registerSonnetChatModels(keys, () => started().languageModelResponder),
    keys,
    log,
  );
}

function runCommand(session: Session, command: string, args: unknown[]): unknown {
  const run = session.commands[command];
  if (!run) throw new Error(`Sonnet Chat has no command ${command}`);
  return run(...args);
}

/** Registers a tool whose implementation is looked up when VS Code's agent first calls it. */
function registerTool(name: string, tool: () => vscode.LanguageModelTool<unknown> | undefined, log: LazyLog): vscode.Disposable[] {
  // Feature-detected: hosts without the API (older builds, some forks) still get the chat's own tools.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  const implementation = () => {
    const found = tool();
    if (!found) throw new Error(`Sonnet Chat has no tool named ${name}`);
    return found;
  };
  try {
    return [
      vscode.lm.registerTool<unknown>(name, {
        prepareInvocation: (...args) => implementation().prepareInvocation?.(...args),
        invoke: (...args) => implementation().invoke(...args),
      }),
    ];
  } catch (error) {
    log().warn(`Could not register the ${name} tool with VS Code: ${describeError(error)}`);
    return [];
  }
}

/**
 * VS Code waits for the promise (within its own time limit) before it disposes `context.subscriptions`:
 * an answer that ended just before a reload is still being written to the history.
 */
export function deactivate(): Promise<void> | undefined {
  return session?.flush();
}
