// The workspace tools on a real folder holding symbolic links (a cloned repository can ship them):
// secrets and Git's folder are judged by where a path leads as well as by how it is typed.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ToolOutcome } from '../../src/tools/types';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { callAnswering } from './helpers';
import { useToolWorkspace } from './toolWorkspace';

const ENV = 'API_KEY=hunter2\n';
const GIT_CONFIG = '[core]\n\tbare = false\n';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\n';
const APP = 'export const answer = 41;\n';

interface Call {
  outcome: ToolOutcome;
  /** The questions the user was asked, in order. */
  questions: string[];
  /** The files whose change was shown as a diff. */
  shown: string[];
}

describe('symbolic links and the workspace tools', () => {
  const vscode = sharedFakeVscode().api;
  const ws = useToolWorkspace('sonnet-links-', async (edit) => {
    const { editTools } = await import('../../src/tools/vscode/editTools');
    const { listDirectory, readFile } = await import('../../src/tools/vscode/readTools');
    return [readFile, listDirectory, ...editTools(edit)];
  });

  before(() => {
    const files: Record<string, string> = { '.env': ENV, '.git/config': GIT_CONFIG, '.git/hooks/pre-commit.sample': '#!/bin/sh\n', 'secrets/id_rsa': KEY, 'src/app.ts': APP };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ws.root, name)), { recursive: true });
      fs.writeFileSync(path.join(ws.root, name), text);
    }
    fs.writeFileSync(path.join(ws.sandbox, 'outside.txt'), 'outside');
    const links: Record<string, string> = {
      envlink: '.env',
      chain: 'envlink',
      gitlink: '.git',
      hooks: '.git/hooks',
      cfg: 'secrets',
      keylink: 'secrets/id_rsa',
      applink: 'src/app.ts',
      dangling: 'missing.txt',
      out: '../outside.txt',
    };
    for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(ws.root, name));
  });

  /** Runs one call as the chat does; the user answers every question with `answer`. */
  async function call(name: string, input: unknown, answer: boolean): Promise<Call> {
    const { outcome, questions } = await callAnswering(ws, name, input, answer);
    return { outcome, questions, shown: [...ws.shown] };
  }
  const onDisk = (name: string) => fs.readFileSync(path.join(ws.root, name), 'utf8');

  describe('read_file', () => {
    it('asks before reading .env through a link, naming where the link leads', async () => {
      const refused = await call('read_file', { path: 'envlink' }, false);
      assert.deepEqual(refused.questions, ['Allow Sonnet to read envlink → .env? It is an environment file, which may hold secrets.']);
      assert.equal(refused.outcome.status, 'rejected');
      assert.doesNotMatch(refused.outcome.content, /hunter2/);

      const allowed = await call('read_file', { path: 'envlink' }, true);
      assert.equal(allowed.questions.length, 1);
      assert.match(allowed.outcome.content, /API_KEY=hunter2/);
    });

    it('follows a chain of links (chain → envlink → .env)', async () => {
      const { questions, outcome } = await call('read_file', { path: 'chain' }, false);
      assert.deepEqual(questions, ['Allow Sonnet to read chain → .env? It is an environment file, which may hold secrets.']);
      assert.equal(outcome.status, 'rejected');
    });

    it('asks for a key file reached through a link to it, or through a linked folder', async () => {
      const direct = await call('read_file', { path: 'keylink' }, false);
      assert.deepEqual(direct.questions, ['Allow Sonnet to read keylink → secrets/id_rsa? It is an SSH key, which may hold secrets.']);
      const viaFolder = await call('read_file', { path: 'cfg/id_rsa' }, false);
      assert.deepEqual(viaFolder.questions, ['Allow Sonnet to read cfg/id_rsa → secrets/id_rsa? It is an SSH key, which may hold secrets.']);
      assert.doesNotMatch(direct.outcome.content + viaFolder.outcome.content, /PRIVATE KEY/);
    });

    it("asks before reading Git's config through a link to .git", async () => {
      const { questions, outcome } = await call('read_file', { path: 'gitlink/config' }, false);
      assert.deepEqual(questions, ["Allow Sonnet to read gitlink/config → .git/config? It is Git's internal folder, which may hold secrets."]);
      assert.doesNotMatch(outcome.content, /bare = false/);
    });

    it('still judges the path as typed, and reads plain files and links to them without asking', async () => {
      assert.deepEqual((await call('read_file', { path: '.env' }, false)).questions, ['Allow Sonnet to read .env? It is an environment file, which may hold secrets.']);
      const plain = await call('read_file', { path: 'applink' }, false);
      assert.deepEqual(plain.questions, []);
      assert.match(plain.outcome.content, /answer = 41/);
    });

    it('refuses a link to nothing and a link out of the workspace, asking nothing', async () => {
      const dangling = await call('read_file', { path: 'dangling' }, true);
      assert.deepEqual([dangling.outcome.status, dangling.questions], ['failed', []]);
      assert.match(dangling.outcome.content, /^dangling cannot be used: it is a symbolic link to something that does not exist\.$/);
      const out = await call('read_file', { path: 'out' }, true);
      assert.match(out.outcome.content, /^out cannot be used: it leads out of the workspace folder through a symbolic link\.$/);
    });

    it("gives VS Code's agent the same question", async () => {
      assert.equal(await ws.registry.consentQuestion('read_file', { path: 'envlink' }), 'Allow Sonnet to read envlink → .env? It is an environment file, which may hold secrets.');
      assert.equal(await ws.registry.consentQuestion('read_file', { path: 'applink' }), undefined);
    });
  });

  describe('list_directory', () => {
    it('asks before listing .git, .git/hooks or a secrets folder through a link', async () => {
      const git = await call('list_directory', { path: 'gitlink' }, false);
      assert.deepEqual(git.questions, ["Allow Sonnet to list gitlink → .git? It is Git's internal folder, which may hold secrets."]);
      assert.doesNotMatch(git.outcome.content, /config/);
      assert.match((await call('list_directory', { path: 'hooks' }, false)).questions[0] ?? '', /^Allow Sonnet to list hooks → \.git\/hooks\?/);
      assert.match((await call('list_directory', { path: 'cfg' }, false)).questions[0] ?? '', /^Allow Sonnet to list cfg → secrets\?/);
    });

    it('lists what it is allowed to, marking links', async () => {
      const allowed = await call('list_directory', { path: 'gitlink' }, true);
      assert.match(allowed.outcome.content, /^gitlink holds 2 entries:\nhooks\/\nconfig$/);
      const top = await call('list_directory', {}, true);
      assert.deepEqual(top.questions, []);
      assert.match(top.outcome.content, /^gitlink\/ \(link\)$/m);
    });
  });

  describe('in a virtual workspace, which has no realpath', () => {
    before(() => {
      vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(ws.root).with({ scheme: 'memfs' }), name: 'workspace', index: 0 }];
    });
    after(() => {
      vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(ws.root), name: 'workspace', index: 0 }];
    });

    it('refuses any path that goes through a link, not only a link itself', async () => {
      const viaFolder = await call('read_file', { path: 'gitlink/config' }, true);
      assert.equal(viaFolder.outcome.content, 'gitlink/config cannot be used: it goes through a symbolic link, which tools do not follow here.');
      assert.match((await call('read_file', { path: 'envlink' }, true)).outcome.content, /^envlink cannot be used: it goes through a symbolic link/);
      assert.match((await call('read_file', { path: 'src/app.ts' }, true)).outcome.content, /answer = 41/);
    });
  });

  describe('edit_file and create_file', () => {
    it('refuse writing into .git through a link, even with autoApproveEdits on', async () => {
      ws.autoApproveEdits = true;
      const edit = await call('edit_file', { path: 'gitlink/config', oldText: 'bare = false', newText: 'fsmonitor = touch pwned' }, true);
      assert.equal(edit.outcome.status, 'failed');
      assert.equal(edit.outcome.content, "gitlink/config cannot be changed: it leads to .git/config, and Git's internal folder is never written by tools (Git runs its hooks and config as commands).");
      assert.deepEqual([edit.questions, edit.shown], [[], []]);
      assert.equal(onDisk('.git/config'), GIT_CONFIG);

      const hook = await call('create_file', { path: 'hooks/pre-commit', content: '#!/bin/sh\ncurl evil\n' }, true);
      assert.equal(hook.outcome.status, 'failed');
      assert.match(hook.outcome.content, /^hooks\/pre-commit cannot be created: it leads to \.git\/hooks\/pre-commit, and Git's internal folder is never written/);
      const nested = await call('create_file', { path: 'gitlink/hooks/post-checkout', content: '#!/bin/sh\n' }, true);
      assert.equal(nested.outcome.status, 'failed');
      assert.equal(fs.existsSync(path.join(ws.root, '.git/hooks/pre-commit')) || fs.existsSync(path.join(ws.root, '.git/hooks/post-checkout')), false);
    });

    it('refuse writing into .git by its own path too, asking nothing', async () => {
      ws.autoApproveEdits = true;
      const edit = await call('edit_file', { path: '.git/config', oldText: 'bare = false', newText: 'bare = true' }, true);
      assert.equal(edit.outcome.content, ".git/config cannot be changed: Git's internal folder is never written by tools (Git runs its hooks and config as commands).");
      assert.deepEqual([edit.questions, edit.shown], [[], []]);
      const created = await call('create_file', { path: '.git/hooks/pre-push', content: '#!/bin/sh\n' }, true);
      assert.equal(created.outcome.status, 'failed');
      assert.equal(fs.existsSync(path.join(ws.root, '.git/hooks/pre-push')), false);
      assert.equal(onDisk('.git/config'), GIT_CONFIG);
    });

    it('ask before changing .env through a link, even with autoApproveEdits on', async () => {
      ws.autoApproveEdits = true;
      const edit = await call('edit_file', { path: 'envlink', oldText: 'hunter2', newText: 'changed' }, false);
      assert.deepEqual(edit.questions, ['Allow Sonnet to change envlink → .env? It is an environment file, which may hold secrets.']);
      assert.deepEqual(edit.shown, ['envlink']);
      assert.equal(edit.outcome.status, 'rejected');
      assert.equal(onDisk('.env'), ENV);

      const created = await call('create_file', { path: 'cfg/id_rsa.pub', content: 'ssh-rsa AAAA\n' }, false);
      assert.deepEqual(created.questions, ['Allow Sonnet to create cfg/id_rsa.pub → secrets/id_rsa.pub? It is an SSH key, which may hold secrets.']);
      assert.equal(fs.existsSync(path.join(ws.root, 'secrets/id_rsa.pub')), false);
    });

    it('refuse creating a file through a link to nothing', async () => {
      const created = await call('create_file', { path: 'dangling', content: 'x' }, true);
      assert.equal(created.outcome.content, 'dangling cannot be used: it is a symbolic link to something that does not exist.');
      assert.equal(fs.existsSync(path.join(ws.root, 'missing.txt')), false);
    });
  });
});
