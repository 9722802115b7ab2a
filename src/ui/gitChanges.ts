/**
 * `@changes`: the uncommitted diff of the workspace's repositories, through the built-in Git
 * extension's API (`vscode.git`, version 1), staged and not staged, under the tools' rules: only files
 * inside the workspace folders (a repository may start above them), files that may hold secrets only
 * with the user's consent, and the size capped. Untracked files are not in a diff; the note says so.
 */
import * as vscode from 'vscode';
import { MAX_ATTACHMENT_CHARS } from '../chat/attachments';
import { diffSections } from '../tools/diffSections';
import { displayPath, secretReason } from '../tools/paths';
import type { MentionContent } from './mentionResolver';
import { workspaceFolders } from '../tools/vscode/workspace';

/** The part of the Git extension's API used here (its `git.d.ts`, version 1). */
export interface GitRepository {
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

export async function gitChanges(consent: (question: string) => Promise<boolean>): Promise<MentionContent> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { note: '@changes needs VS Code\'s built-in Git extension, which is not available here.' };
  const git = extension.isActive ? extension.exports : await extension.activate();
  if (!git.enabled) return { note: '@changes: the Git extension is turned off ("git.enabled"), so there is no diff to attach.' };
  const api = git.getAPI(1);
  await initialized(api);
  return repositoryChanges(api.repositories, consent);
}

/** One file's changes in one of the diffs, with its workspace paths and why it may hold secrets. */
interface FileChange {
  heading: string;
  text: string;
  displays: string[];
  secret?: string;
}

/** The changes of those of `repositories` that overlap the workspace folders, of their files inside them. */
export async function repositoryChanges(repositories: readonly GitRepository[], consent: (question: string) => Promise<boolean>): Promise<MentionContent> {
  const folders = workspaceFolders();
  const open = repositories.filter((repository) => folders.some((folder) => contains(folder.uri, repository.rootUri) || contains(repository.rootUri, folder.uri)));
  if (open.length === 0) return { note: '@changes: no git repository is open in this workspace, so there is no diff to attach.' };
  const changes: FileChange[] = [];
  const outside = new Set<string>();
  const notes: string[] = [];
  let size = 0;
  for (const repository of open) {
    const name = repository.rootUri.path.replace(/\/$/, '').replace(/^.*\//, '');
    for (const cached of [true, false]) {
      const heading = `# ${name}: ${cached ? 'staged' : 'not staged'}`;
      // Git's API gives a diff whole: once the cap is reached, the rest is not read at all.
      if (size >= MAX_ATTACHMENT_CHARS) {
        notes.push(`The ${cached ? 'staged' : 'not staged'} changes of ${name} were not read: the ${MAX_ATTACHMENT_CHARS.toLocaleString('en-US')}-character limit for an attachment was reached.`);
        continue;
      }
      for (const section of diffSections(await repository.diff(cached))) {
        const places = section.paths.map((path) => placeOf(vscode.Uri.joinPath(repository.rootUri, ...path.split('/')), folders));
        if (places.some((place) => !place)) {
          for (const path of section.paths) outside.add(`${name}/${path}`);
          continue;
        }
        const found = places as Array<{ display: string; secret?: string }>;
        changes.push({ heading, text: section.text, displays: found.map((place) => place.display), secret: found.find((place) => place.secret)?.secret });
        size += section.text.length;
      }
    }
  }
  if (outside.size > 0) notes.unshift(`Left out, outside the workspace folders: ${[...outside].map((path) => `\`${path}\``).join(', ')}.`);
  const secrets = changes.filter((change) => change.secret);
  if (secrets.length > 0 && !(await consent(secretsQuestion(secrets)))) {
    notes.push(`Left out, as they may hold secrets and sharing them was not allowed: ${secrets.map((change) => `\`${change.displays[0]}\``).join(', ')}.`);
    changes.splice(0, changes.length, ...changes.filter((change) => !change.secret));
  }
  const { text, leftOut } = assembled(changes);
  if (leftOut.length > 0) notes.push(`Left out, over the ${MAX_ATTACHMENT_CHARS.toLocaleString('en-US')}-character limit for an attachment: the changes of ${leftOut.map((display) => `\`${display}\``).join(', ')}.`);
  if (text === '') {
    const none = '@changes: there are no uncommitted changes to tracked files (new, untracked files are not part of a diff)';
    return { note: notes.length > 0 ? `${none} that could be attached. ${notes.join(' ')}` : `${none}.` };
  }
  return { text, languageId: 'diff', description: '@changes: the uncommitted changes (git diff; untracked files are not included)', ...(notes.length > 0 && { leftOut: notes.join(' ') }) };
}

/** Where `uri` is in the workspace, or undefined outside every folder. */
function placeOf(uri: vscode.Uri, folders: readonly vscode.WorkspaceFolder[]): { display: string; secret?: string } | undefined {
  const index = folders.findIndex((folder) => contains(folder.uri, uri));
  if (index < 0) return undefined;
  const segments = uri.path.slice(folders[index].uri.path.length).split('/').filter((segment) => segment !== '');
  return { display: displayPath(folders, index, segments), secret: secretReason(segments) };
}

/** One question for every file that may hold secrets, in the words the tools use. */
function secretsQuestion(secrets: readonly FileChange[]): string {
  const each = secrets.map((change) => `${change.displays[0]} is ${change.secret}`).join('; ');
  return `Allow Sonnet to attach the uncommitted changes of ${secrets.length === 1 ? 'a file' : `${secrets.length} files`} that may hold secrets? ${each}.`;
}

/** The changes under their headings, whole files only, up to the attachment limit; the displays of those left out. */
function assembled(changes: readonly FileChange[]): { text: string; leftOut: string[] } {
  const parts: string[] = [];
  const leftOut: string[] = [];
  let heading = '';
  let size = 0;
  for (const change of changes) {
    const head = change.heading === heading ? '' : `${parts.length > 0 ? '\n' : ''}${change.heading}\n`;
    if (size + head.length + change.text.length > MAX_ATTACHMENT_CHARS) {
      leftOut.push(change.displays[0]);
      continue;
    }
    parts.push(head + change.text);
    heading = change.heading;
    size += head.length + change.text.length;
  }
  return { text: parts.join(''), leftOut };
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
