/**
 * The @-mentions of the Chat view on the host side: answers the picker's queries, turns dropped files
 * into mentions, resolves a message's mentions into attachments when it is sent (in the order the
 * messages were sent), and opens a mention clicked in a sent turn.
 */
import * as vscode from 'vscode';
import type { Attachment } from '../chat/attachments';
import type { ChatSink } from '../chat/chatController';
import { mentionItems } from '../chat/mentionSearch';
import { mentionable, mentionText, parseMentions } from '../shared/mentions';
import { resolveTarget, statOf, workspaceFolders, displayOf } from '../tools/vscode/workspace';
import { resolveMentions } from './mentionResolver';
import { MentionPaths } from './mentionPaths';
import { editorMentionSources } from './mentionSources';
import { TerminalHistory } from './terminalHistory';

/** What the ids of mention attachments start with. */
const MENTION_ID = 'mention-';

/**
 * `attachments` without those read from mentions: a message put back into the input keeps its
 * mentions in its text, which are read again when it is sent.
 */
export function withoutMentions(attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter((attachment) => !attachment.id.startsWith(MENTION_ID));
}

export class ChatMentions implements vscode.Disposable {
  /** Listed on the first query, not when the session starts. */
  private paths: MentionPaths | undefined;
  private readonly terminals = new TerminalHistory();
  private readonly sources = editorMentionSources(this.terminals);
  /** The newest query: an answer to an older one that is still being listed is not sent. */
  private latestQuery = 0;
  /** Messages whose mentions are being read: each is submitted only after those sent before it. */
  private sending: Promise<void> = Promise.resolve();
  private pending = 0;
  private nextId = 1;

  constructor(
    private readonly sink: ChatSink,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async query(requestId: number, query: string): Promise<void> {
    this.latestQuery = Math.max(this.latestQuery, requestId);
    this.paths ??= new MentionPaths();
    const paths = this.paths;
    const entries = await paths.entries().catch((error: unknown) => {
      this.log.warn(`The @ picker could not list the workspace's files: ${String(error)}`);
      return [];
    });
    if (requestId !== this.latestQuery) return;
    this.sink.post({ type: 'mentionItems', requestId, items: mentionItems(query, entries, paths.recent) });
  }

  /**
   * `submit` with the attachments of the mentions in `text`. A message without mentions goes at once,
   * unless an earlier one is still being read; a mention that cannot be read is attached as a note.
   */
  send(text: string, submit: (mentioned: readonly Attachment[]) => void): void {
    if (parseMentions(text).length === 0 && this.pending === 0) {
      submit([]);
      return;
    }
    this.pending++;
    const resolved = resolveMentions(text, this.sources, () => `${MENTION_ID}${this.nextId++}`).catch((error: unknown) => {
      this.log.error(`The mentions of a message could not be read: ${String(error)}`);
      return [];
    });
    this.sending = this.sending.then(async () => {
      try {
        submit(await resolved);
      } finally {
        this.pending--;
      }
    });
  }

  /** Dropped files and folders of the workspace, as mentions for the page; others are refused with a message. */
  async drop(uris: readonly string[]): Promise<void> {
    const mentions: string[] = [];
    const refused: string[] = [];
    for (const text of uris) {
      const path = await workspacePathOf(text);
      if (path !== undefined && mentionable(path)) mentions.push(mentionText(path));
      else refused.push(text);
    }
    if (mentions.length > 0) this.sink.post({ type: 'droppedMentions', mentions });
    if (refused.length > 0) {
      const names = refused.map((uri) => decodeURIComponent(uri.replace(/^.*\//, ''))).join(', ');
      void vscode.window.showWarningMessage(`Sonnet Chat attaches files and folders of the workspace only, so it did not attach ${names}.`);
    }
  }

  /** Opens a mentioned file (a folder is shown in the Explorer), confined to the workspace as the tools are. */
  async open(path: string): Promise<void> {
    try {
      const target = await resolveTarget(path);
      const stat = await statOf(target.uri);
      if (!stat) throw new Error(`${target.display} does not exist`);
      if (stat.type & vscode.FileType.Directory) await vscode.commands.executeCommand('revealInExplorer', target.uri);
      else await vscode.window.showTextDocument(target.uri, { preview: true });
    } catch (error) {
      void vscode.window.showWarningMessage(`Sonnet Chat did not open ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    this.paths?.dispose();
    this.terminals.dispose();
  }
}

/**
 * A dropped URI as a mention's path: relative to its workspace folder (a folder ending with `/`);
 * undefined outside the workspace. The page may see the window's own scheme (`vscode-remote:` in a
 * browser) where the folders have `file:`, so the path is matched as well.
 */
async function workspacePathOf(text: string): Promise<string | undefined> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(text, true);
  } catch {
    return undefined;
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? workspaceFolders().find((candidate) => uri.path === candidate.uri.path || uri.path.startsWith(`${candidate.uri.path}/`));
  if (!folder) return undefined;
  const inFolder = folder.uri.with({ path: uri.path });
  const path = displayOf(inFolder);
  const stat = await statOf(inFolder);
  if (!stat) return undefined;
  if (inFolder.path === folder.uri.path) return workspaceFolders().length > 1 ? `${folder.name}/` : './';
  return stat.type & vscode.FileType.Directory ? `${path}/` : path;
}
