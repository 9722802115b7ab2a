// `@changes` on a real repository whose root is above the workspace folder, through a Git extension
// whose repository runs the real `git diff`: only the workspace's files go, files that may hold secrets
// only when allowed (one question for all), and the size stays under the attachment limit.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { MAX_ATTACHMENT_CHARS, promptWithAttachments, type Attachment } from '../../src/chat/attachments';
import type { MentionSources } from '../../src/ui/mentionResolver';
import type { TerminalHistory } from '../../src/ui/terminalHistory';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { useToolWorkspace } from './toolWorkspace';

describe('@changes: what the diff attaches', () => {
  const ws = useToolWorkspace('sonnet-changes-', async () => []);
  const vscode = sharedFakeVscode().api;
  const asked: string[] = [];
  let allow = false;
  let resolve: (text: string) => Promise<Attachment[]>;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], { cwd: ws.sandbox });
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(ws.sandbox, name)), { recursive: true });
    fs.writeFileSync(path.join(ws.sandbox, name), text);
  };

  before(async () => {
    // The repository is the sandbox: the workspace folder is one of its folders (a monorepo's package).
    const files = { 'outside.txt': 'outside 1\n', 'workspace/app.py': 'x = 1\n', 'workspace/.env': 'KEY=old\n', 'workspace/config/secrets.yml': 'token: old\n' };
    for (const [name, text] of Object.entries(files)) write(name, text);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'start');
    for (const [name, text] of Object.entries(files)) write(name, text.replace(/1|old/, (was) => (was === '1' ? '2' : 'hunter2')));
    const repository = {
      rootUri: vscode.Uri.file(ws.sandbox),
      diff: async (cached?: boolean) => (await promisify(execFile)('git', ['diff', ...(cached ? ['--cached'] : [])], { cwd: ws.sandbox, maxBuffer: 64 * 1024 * 1024 })).stdout,
    };
    const api = { state: 'initialized', onDidChangeState: () => ({ dispose() {} }), repositories: [repository] };
    vscode.extensions.getExtension = () => ({ isActive: true, exports: { enabled: true, getAPI: () => api } });
    vscode.workspace.asRelativePath = (uri: { path: string }) => path.relative(ws.root, uri.path);
    const { editorMentionSources } = await import('../../src/ui/mentionSources');
    const { resolveMentions } = await import('../../src/ui/mentionResolver');
    const consent = async (question: string) => {
      asked.push(question);
      return allow;
    };
    const sources: MentionSources = editorMentionSources({} as TerminalHistory, consent);
    let id = 0;
    resolve = (text) => resolveMentions(text, sources, () => `m${++id}`);
  });

  beforeEach(() => {
    asked.length = 0;
    allow = false;
  });

  const changes = async () => {
    const [attachment] = await resolve('Review @changes');
    return { attachment, prompt: promptWithAttachments('Review @changes', [attachment]).content };
  };

  it('attaches the changes of files in the workspace only, and says which were left out', async () => {
    const { attachment, prompt } = await changes();
    assert.match(attachment.source.code, /^diff --git a\/workspace\/app\.py b\/workspace\/app\.py\n[\s\S]*-x = 1\n\+x = 2\n/m);
    assert.doesNotMatch(prompt, /outside [12]/);
    assert.match(prompt, /outside the workspace folders: `[^`]*\/outside\.txt`/);
  });

  it('asks once for every file that may hold secrets, and leaves them out when not allowed', async () => {
    const { attachment, prompt } = await changes();
    assert.equal(asked.length, 1, asked.join('\n'));
    assert.match(asked[0], /\.env is an environment file/);
    assert.match(asked[0], /config\/secrets\.yml is/);
    assert.doesNotMatch(attachment.source.code, /hunter2|KEY=|token:/);
    assert.match(prompt, /may hold secrets and sharing them was not allowed: `\.env`, `config\/secrets\.yml`/);
  });

  it('attaches the secret-looking files when allowed', async () => {
    allow = true;
    const { attachment } = await changes();
    assert.equal(asked.length, 1);
    assert.match(attachment.source.code, /\+KEY=hunter2\n/);
    assert.match(attachment.source.code, /\+token: hunter2\n/);
  });

  it('keeps whole files up to the attachment limit and names those left out', async () => {
    const line = 'a line of the generated file\n';
    write('workspace/big.txt', '');
    write('workspace/zz.txt', 'z\n');
    git('add', 'workspace/big.txt', 'workspace/zz.txt');
    git('commit', '-qm', 'more');
    write('workspace/big.txt', line.repeat(Math.ceil((MAX_ATTACHMENT_CHARS * 1.5) / line.length)));
    write('workspace/zz.txt', 'zz\n');
    // Last: the repository keeps these changes until the sandbox is removed.
    const { attachment, prompt } = await changes();
    assert.ok(attachment.source.code.length <= MAX_ATTACHMENT_CHARS);
    assert.match(attachment.source.code, /\+zz\n/);
    assert.doesNotMatch(attachment.source.code, /generated file/);
    assert.match(prompt, /over the 100,000-character limit for an attachment: the changes of `big\.txt`/);
  });
});
