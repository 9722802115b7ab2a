import * as vscode from 'vscode';
import { MessagesClient } from './api/client';
import { ApiKeyStore } from './auth/apiKeyStore';
import { ChatController } from './chat/chatController';
import type { Conversation } from './chat/conversation';
import { QueuedMessageKeeper } from './chat/queuedMessageKeeper';
import { WorkspaceCheckpoints } from './checkpoints/workspaceCheckpoints';
import { vscodeFileAccess, virtualFolderNotes } from './ui/checkpointFiles';
import { readCheckpointSettings, readConfig, type SonnetConfig } from './config';
import { ChatHistory } from './history/chatHistory';
import { HistoryStore } from './history/historyStore';
import { nodeHistoryFiles } from './history/nodeHistoryFiles';
import { nodeImageFiles } from './history/nodeImageFiles';
import { ChatImages } from './ui/chatImages';
import { readImagesBack, type PromptImage } from './chat/promptImages';
import { fileMemory, stateMemory } from './history/openConversationMemory';
import { createEditorTools } from './tools/vscode/editorTools';
import { createExternalTools } from './tools/vscode/externalTools';
import { BalanceMonitor } from './ui/balanceMonitor';
import { CHECKPOINT_SCHEME, CheckpointDocuments, restoreCheckpoint } from './ui/checkpointRestore';
import { ChatViewProvider } from './ui/chatViewProvider';
import { parseWebviewMessage } from './shared/protocol';
import { runCodeAction } from './ui/codeActions';
import { chatCommands } from './ui/commands';
import { EditorAttachments } from './ui/editorAttachments';
import { startMcpSession } from './ui/mcpSession';
import { runErrorAction, type ErrorActionContext } from './ui/errorActions';
import { openLink } from './ui/openLink';
import { ViewToggles } from './ui/viewToggles';
import { LanguageModelResponder } from './lm/vscode/chatResponder';
import { ChatMentions, withoutMentions } from './ui/chatMentions';
import { sendMessage } from './ui/messageSend';
import { mentionsAddedIn } from './shared/mentions';
import { editableText } from './chat/promptEdit';

/** What the activation shell (extension.ts) hands the contributions' calls to. */
export interface Session {
  /** What each command package.json contributes runs, by id. */
  commands: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  chatView: vscode.WebviewViewProvider;
  proposals: vscode.TextDocumentContentProvider;
  /** The read-only tools offered to VS Code's agent, by the names package.json declares. */
  languageModelTools: ReadonlyMap<string, vscode.LanguageModelTool<unknown>>;
  /** The answers of the Sonnet other extensions use through `vscode.lm` (registered by extension.ts). */
  languageModelResponder: LanguageModelResponder;
  /** Settles once the running turn has ended and the history is written: what deactivation waits for. */
  flush(): Promise<void>;
}

/**
 * Wires the parts together, the first time a contribution is used; each part is disposed with the
 * extension.
 */
export function startSession(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Session {
  const keys = new ApiKeyStore(context.secrets);
  // The conversations' images, beside the history (see `historyFolder`), named by their content.
  const imagesFolder = vscode.Uri.joinPath(context.globalStorageUri, 'history', 'images');
  const imageFiles = nodeImageFiles(imagesFolder.fsPath);
  // A string kept for this workspace's window: in its storage folder, or without one in workspaceState.
  const windowMemory = (file: string, key: string) =>
    context.storageUri ? fileMemory(nodeHistoryFiles(context.storageUri.fsPath), file) : stateMemory(context.workspaceState, key);
  const tools = createEditorTools(log);

  // The view and the controller refer to each other, hence the explicit type.
  const view: ChatViewProvider = new ChatViewProvider(context.extensionUri, {
    snapshot: () => ({ ...controller.snapshot(), attachments: attachments.view(), settings: settings.current() }),
    onDraftChange: (draft) => void draftMemory.remember(JSON.stringify(draft)),
    // Read when there is a view to show it in, not when a command starts the session.
    onResolve: () => void history.restore(),
    onReady: () => {
      void history.postList();
      void balance.refresh();
      mcp.postNotices();
    },
    handlers: {
      send: ({ text }) => sendMessage(text, attachments, mentions, (typed, attached, images) => controller.submit(typed, attached, images)),
      stop: () => void controller.stop(),
      sendQueued: () => void controller.sendQueued(),
      cancelQueued: () => {
        const cancelled = controller.cancelQueued();
        attachments.restore(withoutMentions(cancelled?.attachments ?? []), cancelled?.images);
      },
      editPrompt: ({ turnId, text }) => {
        const original = controller.current.findTurn(turnId)?.prompt;
        // Mentions new in the edit are read now; the prompt keeps what its first send attached.
        mentions.send(mentionsAddedIn(text, original ? (editableText(original) ?? '') : ''), (added) => {
          const reason = controller.editPrompt(turnId, text, added);
          if (reason) view.post({ type: 'editRefused', turnId, text, reason });
        });
      },
      regenerate: ({ turnId }) => void controller.regenerate(turnId),
      restoreCheckpoint: ({ turnId }) => void vscode.commands.executeCommand('sonnet.restoreCheckpoint', turnId),
      retry: ({ turnId }) => void controller.retry(turnId),
      action: ({ action, turnId }) => void runErrorAction(action, turnId, actions),
      newChat: () => controller.newChat(),
      attach: ({ what }) => attachments.attach(what),
      removeAttachment: ({ id }) => attachments.remove(id),
      showHistory: () => void history.postList(),
      openConversation: ({ id }) => void history.open(id),
      renameConversation: ({ id }) => void history.rename(id),
      // The conversation's checkpoints go with it.
      deleteConversation: ({ id }) => void history.delete(id).then((deleted) => (deleted ? checkpoints?.deleteConversation(id) : undefined)),
      setThinking: ({ enabled }) => void settings.setThinking(enabled),
      setMode: ({ mode }) => settings.setMode(mode),
      runPlan: ({ turnId }) => {
        if (controller.runPlan(turnId)) settings.post();
      },
      stopAutoApprovingEdits: () => settings.stopAutoApprovingEdits(),
      refreshBalance: () => void balance.refresh(),
      codeAction: ({ action, code, language }) => void runCodeAction(action, code, language),
      openLink: ({ href }) => void openLink(href, (path) => mentions.open(path)),
      mentionQuery: ({ requestId, query }) => void mentions.query(requestId, query),
      dropUris: ({ uris }) => void mentions.drop(uris),
      approveTool: ({ toolUseId, approved, always }) => void tools.approvals.answer(toolUseId, approved, always === true),
      attachImage: ({ name, mediaType, data }) => void images.attach(name, mediaType, data),
      readImageFile: ({ uri }) => void images.readFile(uri),
      openImage: ({ file }) => images.open(file),
      restartMcpServer: ({ server }) => mcp.restart(server),
    },
    imagesFolder,
  });

  // The MCP servers: `mcp.source` is what the tool layer offers the model; none starts before a conversation asks.
  const mcp = startMcpSession({ secrets: context.secrets, log, post: (message) => view.post(message) });

  // Per workspace, in its storage (a window without a folder has none, and nothing to snapshot).
  const checkpoints = context.storageUri
    ? new WorkspaceCheckpoints({
        storageDir: context.storageUri.fsPath,
        folders: () => (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
        limits: () => readCheckpointSettings().limits,
        files: vscodeFileAccess,
      })
    : undefined;
  // What a checkpoint leaves out (no git, too large, big files) is said once a session; the log says it each time.
  const saidNotes = new Set<string>();
  const takeCheckpoint = checkpoints && {
    take: async (conversationId: string, label: string) => {
      if (!readCheckpointSettings().enabled) return { takenAt: Date.now(), folders: [], notes: [] };
      const checkpoint = await checkpoints.take(conversationId, label);
      checkpoint.notes.push(...virtualFolderNotes());
      for (const note of checkpoint.notes.filter((text) => !saidNotes.has(text))) {
        saidNotes.add(note);
        void vscode.window.showWarningMessage(`Sonnet Chat checkpoints: ${note}`);
      }
      return checkpoint;
    },
    keepBeforeEdit: async (...args: Parameters<WorkspaceCheckpoints['keepBeforeEdit']>) => {
      if (readCheckpointSettings().enabled) await checkpoints.keepBeforeEdit(...args);
    },
  };

  // The input box's draft, and the edit it is: browser-based VS Code may lose the page's own state in a
  // reload (see `fileMemory`), so the host keeps it on disk too.
  const draftMemory = windowMemory('draft.json', 'sonnet.draft');
  const draftRecalled = draftMemory.recall().then((stored) => {
    const draft = stored ? parseWebviewMessage({ ...(JSON.parse(stored) as object), type: 'draftChanged' }) : undefined;
    if (draft?.type === 'draftChanged') view.restoreDraft(draft);
  });

  // A message queued when VS Code closed or reloaded was never sent: it comes back into the input
  // box (before the draft, once that is back), its attachments as chips.
  const queuedMessage = new QueuedMessageKeeper(windowMemory('queued-message.json', 'sonnet.queuedMessage'));
  void Promise.all([queuedMessage.recall(), draftRecalled.catch(() => undefined)]).then(async ([lost]) => {
    if (!lost) return;
    attachments.restore(withoutMentions(lost.attachments), await imagesFromFiles(lost.images ?? []));
    // Kept until the page has the text in its draft; attachments alone are on the chips at once.
    if (lost.text.trim() === '') void queuedMessage.taken();
    else view.putBack(lost.text, () => void queuedMessage.taken());
  });

  /** The images of a message queued before a reload, read again from their files; those gone are said to be. */
  const imagesFromFiles = async (kept: readonly PromptImage[]): Promise<PromptImage[]> => {
    const { found, missing } = await readImagesBack(kept, (file) => imageFiles.read(file));
    for (const image of missing) {
      void vscode.window.showWarningMessage(`Sonnet Chat: the image ${image.name} of the message queued before the reload is no longer on disk; attach it again.`);
    }
    return found;
  };

  const controller = new ChatController({
    sink: view,
    readConfig: (): SonnetConfig => ({ ...readConfig(), thinking: settings.defaultThinking() }),
    // Asked for once, when a message is sent without one; cancelling shows the error card instead.
    resolveApiKey: async () => (await keys.get()) ?? (await keys.promptAndStore()),
    createClient: (options) => new MessagesClient(options),
    tools: createExternalTools({ own: tools.registry, approvals: tools.approvals, mcp: mcp.source, log }),
    checkpoints: takeCheckpoint,
    log,
    onBusyChange: (busy) => void vscode.commands.executeCommand('setContext', 'sonnet.busy', busy),
    onQueueChange: (queued) => void queuedMessage.queueChanged(queued),
    onApprovalsChange: () => settings.post(),
    onConversationChange: (conversation, event) => {
      history.onConversationChange(conversation, event);
      // An earlier version keeps its checkpoints, whatever becomes of the conversation it was copied from.
      if (event === 'branched' && checkpoints) void keepCheckpoints(conversation);
      if (event === 'turnEnded') void balance.refresh();
    },
  });

  const keepCheckpoints = async (conversation: Conversation) => {
    const kept = conversation.turns.flatMap((turn) => (turn.checkpoint ? [turn.checkpoint] : []));
    for (const note of (await checkpoints?.keepFor(conversation.id, kept)) ?? []) log.warn(`The checkpoints of "${conversation.title ?? conversation.id}" could not all be kept: ${note}`);
  };

  const actions: ErrorActionContext = {
    extensionId: context.extension.id,
    controller,
    keys,
    showLog: () => log.show(true),
    getCredits: (apiKey) => {
      const config = readConfig();
      return new MessagesClient({ baseUrl: config.baseUrl, apiKey, timeoutMs: config.timeoutMs, maxRetries: 0 }).getCredits();
    },
  };

  // In the user's storage, not the workspace's: chats happen without a folder open too, and a project
  // opened from another path keeps its history.
  const historyFolder = vscode.Uri.joinPath(context.globalStorageUri, 'history').fsPath;
  // A window without a folder has no storage folder of its own.
  const openConversation = context.storageUri ? fileMemory(nodeHistoryFiles(context.storageUri.fsPath)) : stateMemory(context.workspaceState);
  const imagesInUse = () => [...attachments.imageFiles(), ...queuedMessage.imageFiles(), ...controller.current.turns.flatMap((turn) => turn.prompt.images?.map((image) => image.file) ?? [])];
  const history = new ChatHistory(new HistoryStore(nodeHistoryFiles(historyFolder), Date.now, imageFiles, imagesInUse), controller, view, openConversation);
  const attachments = new EditorAttachments(view);
  const images = new ChatImages(imagesFolder, imageFiles, attachments, (message) => view.post(message));
  const mentions = new ChatMentions(view, log);
  const settings = new ViewToggles(view, controller, context.globalState);
  const balance = new BalanceMonitor({ apiKey: () => keys.get(), getCredits: (apiKey) => actions.getCredits(apiKey) }, view);

  const languageModelResponder = new LanguageModelResponder({
    apiKey: () => keys.get(),
    readConfig,
    createClient: (options) => new MessagesClient(options),
    log,
    onSpent: (credits) => void balance.spentThroughLanguageModels(credits),
  });

  const putInComposer = (text: string) => {
    view.putBack(text, () => {});
    void view.show('input');
  };

  const commands: Record<string, (...args: never[]) => unknown> = {
    ...chatCommands(actions, (target) => view.show(target)),
    ...mcp.commands,
    [BalanceMonitor.refreshCommand]: () => balance.refresh(),
    'sonnet.showLog': () => actions.showLog(),
    'sonnet.acceptProposedChange': (uri?: vscode.Uri) => tools.proposals.answer(uri, true),
    'sonnet.rejectProposedChange': (uri?: vscode.Uri) => tools.proposals.answer(uri, false),
    'sonnet.restoreCheckpoint': (turnId?: unknown) =>
      checkpoints ? restoreCheckpoint(controller, checkpoints, putInComposer, turnId) : void vscode.window.showInformationMessage('Sonnet Chat: checkpoints need a folder open in this window.'),
  };
  if (checkpoints) {
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointDocuments(checkpoints)));
    const { keepPerConversation, maxAgeMs } = readCheckpointSettings();
    // Housekeeping of earlier sessions' checkpoints; it opens no repository that does not exist yet.
    void checkpoints.prune(keepPerConversation, maxAgeMs).catch((error: unknown) => log.warn(`Pruning old checkpoints failed: ${String(error)}`));
  }

  context.subscriptions.push(
    keys,
    tools.disposables,
    view,
    settings,
    balance,
    mentions,
    keys.onDidChange(() => void balance.refresh()),
    { dispose: () => controller.stop() },
    mcp,
  );

  return {
    // Commands take what VS Code passes them (nothing, a URI, a prompt) and check it themselves.
    commands: commands as Session['commands'],
    chatView: view,
    proposals: tools.proposals,
    languageModelTools: tools.languageModelTools,
    languageModelResponder,
    flush: () => history.flush(),
  };
}
