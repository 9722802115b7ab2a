/**
 * `@changes`: the uncommitted diff of the workspace's repositories, through the built-in Git
 * extension's API (`vscode.git`, version 1), staged and not staged. Untracked files are not in a
 * diff; the note says so.
 */
import * as vscode from 'vscode';
import type { MentionContent } from './mentionResolver';
import { workspaceFolders } from '../tools/vscode/workspace';

/** The part of the Git extension's API used here (its `git.d.ts`, version 1). */
interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  /** `uninitialized` until the extension has looked for the workspace's repositories. */
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

export async function gitChanges(): Promise<MentionContent> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { note: '@changes needs VS Code\'s built-in Git extension, which is not available here.' };
  const git = extension.isActive ? extension.exports : await extension.activate();
  if (!git.enabled) return { note: '@changes: the Git extension is turned off ("git.enabled"), so there is no diff to attach.' };
  const api = git.getAPI(1);
  await initialized(api);
  const repositories = api.repositories.filter((repository) => workspaceFolders().some((folder) => contains(folder.uri, repository.rootUri) || contains(repository.rootUri, folder.uri)));
  if (repositories.length === 0) return { note: '@changes: no git repository is open in this workspace, so there is no diff to attach.' };
  const parts: string[] = [];
  for (const repository of repositories) {
    const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
    const name = vscode.workspace.asRelativePath(repository.rootUri, true) || repository.rootUri.path;
    if (staged.trim() !== '') parts.push(`# ${name}: staged\n${staged.trimEnd()}`);
    if (unstaged.trim() !== '') parts.push(`# ${name}: not staged\n${unstaged.trimEnd()}`);
  }
  if (parts.length === 0) return { note: '@changes: there are no uncommitted changes to tracked files (new, untracked files are not part of a diff).' };
  return { text: `${parts.join('\n\n')}\n`, languageId: 'diff', description: '@changes: the uncommitted changes (git diff; untracked files are not included)' };
}

/** Longest `@changes` waits for the Git extension to find the repositories, right after the window opened. */
const INITIALIZE_TIMEOUT_MS = 10_000;

async function initialized(api: GitApi): Promise<void> {
  if (api.state === 'initialized') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, INITIALIZE_TIMEOUT_MS);
    const listener = api.onDidChangeState((state) => state === 'initialized' && done());
    function done() {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    }
  });
}

function contains(outer: vscode.Uri, inner: vscode.Uri): boolean {
  return outer.scheme === inner.scheme && (inner.path === outer.path || inner.path.startsWith(outer.path.replace(/\/?$/, '/')));
}
