// run_command through the registry on a real folder, with real processes (the child-process way):
// what asks and what does not, what a rule allows or denies, the pause after many commands in a row
// by rule, "Always allow", and that a rejected command never starts.
import * as assert from 'node:assert/strict';
import { ChatApprovals } from '../../src/chat/chatApprovals';
import fs from 'node:fs';
import path from 'node:path';
import type { CommandRules } from '../../src/tools/commandRules';
import { useToolWorkspace } from './toolWorkspace';

describe('run_command: approval, rules and the run', function () {
  this.timeout(20_000);
  const state = {
    rules: { allow: [], deny: [] } as CommandRules,
    maxAutoApproved: 20,
    added: [] as string[],
    approvals: new ChatApprovals(),
    /** Runs before the command starts, as a terminal coming up does. */
    beforeStart: async () => {},
  };
  const ws = useToolWorkspace('sonnet-command-', async (edit) => {
    const { commandTool } = await import('../../src/tools/vscode/commandTool');
    const { shellCommand, startProcess } = await import('../../src/tools/processRunner');
    const { normalizeToolSettings } = await import('../../src/tools/settings');
    return [
      commandTool({
        terminals: {
          start: async (command, cwd, signal) => {
            await state.beforeStart();
            const running = await startProcess({ shell: shellCommand('/bin/sh', command), cwd: cwd.fsPath, signal });
            return running && { way: 'childProcess', running };
          },
        },
        shell: () => '/bin/sh',
        settings: () => ({ ...edit.settings(), ...normalizeToolSettings({ commandRules: state.rules }) }),
        limits: () => ({ commandTimeoutMs: 10_000 }),
        allowAlways: async (rule) => void state.added.push(rule),
        log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
      }),
    ];
  });
  beforeEach(() => {
    fs.rmSync(ws.root, { recursive: true, force: true });
    fs.mkdirSync(path.join(ws.root, 'sub'), { recursive: true });
    state.rules = { allow: [], deny: [] };
    state.maxAutoApproved = 20;
    state.added = [];
    state.approvals = new ChatApprovals();
    state.beforeStart = async () => {};
  });

  let calls = 0;
  /** Runs `input`; each question is recorded and answered with `answer` (none: a test that asks fails). */
  async function run(input: Record<string, unknown>, answer?: { approved: boolean; always?: boolean }, signal = new AbortController().signal) {
    const id = `toolu_${++calls}`;
    // Each call is a tool round of its own.
    const autoApproval = state.approvals.forRound(`turn:${calls}`, state.maxAutoApproved, () => {});
    const questions: Array<{ question?: string; alwaysAllow?: string }> = [];
    const outcome = await ws.registry.run(
      { type: 'tool_use', id, name: 'run_command', input },
      {
        signal,
        autoApproval,
        setStatus: (status, question, alwaysAllow) => {
          if (status !== 'awaitingApproval') return;
          questions.push({ question, alwaysAllow });
          assert.ok(answer, `${JSON.stringify(input)} asked: ${question}`);
          queueMicrotask(() => ws.approvals.answer(id, answer.approved, answer.always));
        },
      },
    );
    return { outcome, questions };
  }

  it('asks with the exact command and folder, then runs it and reports exit code and output', async () => {
    const { outcome, questions } = await run({ command: 'echo hello; exit 3' }, { approved: true });
    assert.deepEqual(questions, [{ question: 'Run this command in workspace?\necho hello; exit 3', alwaysAllow: undefined }]);
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.summary, 'Exit code 3');
    assert.match(outcome.content, /^Exit code 3, after \d+\.\d s\.\nRan as a child process.*\nOutput:\nhello$/);
  });

  it('runs in the folder given, and refuses one outside the workspace', async () => {
    const { outcome } = await run({ command: 'pwd', cwd: 'sub' }, { approved: true });
    assert.match(outcome.content, new RegExp(`Output:\\n${path.join(ws.root, 'sub')}$`));
    const outside = await run({ command: 'pwd', cwd: '..' });
    assert.equal(outside.outcome.status, 'failed');
    const missing = await run({ command: 'pwd', cwd: 'missing' });
    assert.match(missing.outcome.content, /missing is not a folder of the workspace/);
  });

  it('does not run a rejected command', async () => {
    const { outcome } = await run({ command: 'echo ran > marker.txt' }, { approved: false });
    assert.equal(outcome.status, 'rejected');
    assert.equal(fs.existsSync(path.join(ws.root, 'marker.txt')), false);
  });

  it('says so when a command prints nothing', async () => {
    const { outcome } = await run({ command: 'true' }, { approved: true });
    assert.match(outcome.content, /\nOutput:\n\(no output\)$/);
  });

  it('runs what a rule allows without asking, and never what a deny rule names', async () => {
    state.rules = { allow: ['touch', 'echo', 'git'], deny: ['git push'] };
    const allowed = await run({ command: 'touch ruled.txt' });
    assert.equal(allowed.outcome.status, 'done');
    assert.ok(fs.existsSync(path.join(ws.root, 'ruled.txt')));
    const denied = await run({ command: 'echo x && git push origin main' });
    assert.equal(denied.outcome.status, 'rejected');
    assert.match(denied.outcome.content, /the user's rule "git push" \(sonnet\.tools\.commandRules, deny\) forbids this command/);
  });

  it('asks for a dangerous command whatever the rules, naming why, and offers no rule for it', async () => {
    state.rules = { allow: ['echo'], deny: [] };
    const { outcome, questions } = await run({ command: 'echo owned > ../outside.txt' }, { approved: false });
    assert.equal(outcome.status, 'rejected');
    assert.deepEqual(questions, [{ question: 'Run this command in workspace? No rule can allow it: it writes outside the workspace (> ../outside.txt).\necho owned > ../outside.txt', alwaysAllow: undefined }]);
    assert.equal(fs.existsSync(path.join(ws.sandbox, 'outside.txt')), false);
  });

  it('offers "Always allow" with the rule, and adds it when chosen', async () => {
    const { questions } = await run({ command: 'git status --short' }, { approved: true, always: true });
    assert.equal(questions[0].alwaysAllow, 'git status');
    assert.deepEqual(state.added, ['git status']);
  });

  it('pauses for the user after the set number of tool rounds in a row that ran by rule', async () => {
    state.rules = { allow: ['echo'], deny: [] };
    state.maxAutoApproved = 2;
    assert.deepEqual((await run({ command: 'echo 1' })).questions, []);
    assert.deepEqual((await run({ command: 'echo 2' })).questions, []);
    const third = await run({ command: 'echo 3' }, { approved: true });
    assert.match(third.questions[0].question ?? '', /^Run this command in workspace\? 2 tool rounds in a row ran without asking \(sonnet\.tools\.maxAutoApprovedRounds\), so this one asks\./);
    // The click starts the count again.
    assert.deepEqual((await run({ command: 'echo 4' })).questions, []);
  });

  it('asks for a command a rule allows when its folder is .git, or leads there through a link, naming it', async () => {
    state.rules = { allow: ['touch'], deny: [] };
    fs.mkdirSync(path.join(ws.root, '.git'));
    fs.symlinkSync('.git', path.join(ws.root, 'cfg'));
    for (const cwd of ['.git', 'cfg']) {
      const { outcome, questions } = await run({ command: 'touch config', cwd }, { approved: false });
      assert.equal(outcome.status, 'rejected', cwd);
      assert.match(questions[0].question ?? '', new RegExp(`^Run this command in ${cwd}\\? No rule can allow it: it runs in \\.git, Git's internal folder\\.`), cwd);
    }
    assert.equal(fs.existsSync(path.join(ws.root, '.git', 'config')), false);
  });

  it('asks for a command a rule allows when a file it names leads out of the workspace or into .git through a link', async () => {
    state.rules = { allow: ['touch', 'cat'], deny: [] };
    fs.mkdirSync(path.join(ws.sandbox, 'home'), { recursive: true });
    fs.symlinkSync(path.join(ws.sandbox, 'home'), path.join(ws.root, 'docs'));
    fs.mkdirSync(path.join(ws.root, '.git'));
    fs.symlinkSync('.git', path.join(ws.root, 'meta'));
    const out = await run({ command: 'touch docs/.bashrc' }, { approved: false });
    assert.match(out.questions[0].question ?? '', /No rule can allow it: it names docs\/\.bashrc, and it leads out of the workspace folder through a symbolic link\./);
    assert.equal(fs.existsSync(path.join(ws.sandbox, 'home', '.bashrc')), false);
    const git = await run({ command: 'cat meta/config' }, { approved: false });
    assert.match(git.questions[0].question ?? '', /it names meta\/config, which leads to \.git\/config, Git's internal folder/);
    // Plain files of the workspace still run by rule.
    assert.deepEqual((await run({ command: 'touch sub/ok.txt' })).questions, []);
  });

  it('does not start a command when Stop is pressed while its terminal comes up', async () => {
    state.rules = { allow: ['touch'], deny: [] };
    const stop = new AbortController();
    state.beforeStart = async () => stop.abort();
    const { outcome } = await run({ command: 'touch started.txt' }, undefined, stop.signal);
    assert.equal(outcome.status, 'cancelled');
    assert.equal(fs.existsSync(path.join(ws.root, 'started.txt')), false);
  });
});

describe('"Always allow", from the card to the approval', () => {
  it('is read from the view only as true, beside an approval', async () => {
    const { parseWebviewMessage } = await import('../../src/shared/protocol');
    const base = { type: 'approveTool', turnId: 't1', toolUseId: 'toolu_1', approved: true };
    assert.deepEqual(parseWebviewMessage({ ...base, always: true }), { ...base, always: true });
    assert.deepEqual(parseWebviewMessage({ ...base, always: 'yes' }), base);
  });

  it('counts only with approved, and only for the first answer', async () => {
    const { ApprovalBroker } = await import('../../src/tools/approvals');
    const broker = new ApprovalBroker();
    const signal = new AbortController().signal;
    const approved = broker.waitForChoice('a', signal);
    broker.answer('a', true, true);
    broker.answer('a', false);
    assert.deepEqual(await approved, { answer: 'approved', always: true });
    const rejected = broker.waitForChoice('b', signal);
    broker.answer('b', false, true);
    assert.deepEqual(await rejected, { answer: 'rejected', always: false });
  });
});
