// The reviewer's bypasses of the command rules, each a line a rule must not allow (or a deny rule
// must catch), and what "Always allow" must not offer.
import * as assert from 'node:assert/strict';
import { judgeCommand, normalizeCommandRules, suggestedRule } from '../../src/tools/commandRules';

const BASH = '/bin/bash';
const rules = (allow: string[], deny: string[] = []) => normalizeCommandRules({ allow, deny });
const decision = (line: string, allow: string[], shell: string | undefined = BASH, deny: string[] = []) => judgeCommand(line, rules(allow, deny), shell).decision;

describe('command rules: what they cannot judge for sure asks', () => {
  const allow = ['echo', 'cat', 'git', 'ls', 'printf', 'npm test', 'find', 'make', 'go', 'npm', 'touch'];

  it('quoting the shell reads otherwise: $\'…\', $"…"', () => {
    for (const line of [`echo $'\\' ' ; rm -rf ~ #'`, `echo $"a" ; ls`, `echo $'a'`]) {
      assert.equal(decision(line, allow), 'ask', line);
    }
    // The loose reading behind the card's warning sees the rm that $'…' hid.
    assert.deepEqual(judgeCommand(`echo $'\\' ' ; rm -rf ~ #'`, rules(allow), BASH), { decision: 'ask', reason: 'it deletes recursively outside the workspace or all of it (rm -r ~)' });
  });

  it('in a shell other than bash, zsh, sh and dash, or an unknown one, always asks', () => {
    // PowerShell: \" is no escape; cmd: ' is no quote.
    assert.equal(decision('echo "a\\" ; calc ; #"', allow, 'C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'ask');
    assert.equal(decision("echo ' & calc & '", allow, 'C:\\Windows\\System32\\cmd.exe'), 'ask');
    assert.equal(decision('ls', allow, '/usr/bin/fish'), 'ask');
    assert.equal(decision('ls', allow, ''), 'ask');
    assert.equal(judgeCommand('ls', rules(allow), undefined).decision, 'ask');
    for (const shell of ['/bin/bash', '/usr/bin/zsh', '/bin/sh', '/usr/bin/dash', 'C:\\Program Files\\Git\\bin\\bash.exe']) assert.equal(decision('ls -la', allow, shell), 'allow', shell);
    assert.deepEqual(judgeCommand('ls', rules(allow), 'pwsh'), { decision: 'ask', reason: 'rules apply only in bash, zsh, sh and dash, and commands run in pwsh' });
  });

  it('anything but plain words, quotes without expansion and && || ; | asks', () => {
    for (const line of [
      'echo $HOME', 'echo `id`', 'echo "$(id)"', 'echo a\\ b', 'cat < README.md', 'echo x > out.txt', 'echo x >> out.txt', 'cat 1<> f', 'ls & ls', 'ls &',
      '(ls)', '{ ls; }', 'ls *.ts', 'ls ?', 'ls [ab]', 'ls ~', '! ls', 'ls # comment', 'ls\nls', 'echo "a\\"b"', 'echo "a`id`"', 'echo "$x"',
    ]) {
      assert.equal(decision(line, allow), 'ask', JSON.stringify(line));
    }
    for (const line of ['ls -la src', "echo 'a $b `c` \\d'", 'echo "plain words: a, b"', 'git status && npm test || ls; cat README.md | ls', 'echo a=b,c:d@e%f+g']) {
      assert.equal(decision(line, allow), 'allow', line);
    }
  });

  it('writes outside the workspace or into .git ask, by rule and on the never-auto list', () => {
    for (const line of ['echo x 1<> ~/.bashrc', 'echo x > .gi?/config', 'cd ~ && echo x >> .bashrc', 'cd sub && ls', 'pushd sub', 'popd', 'touch /tmp/x', 'touch ~/x', 'touch ../x', 'touch a/../../x', 'touch -o/tmp/x', 'cat --file=/etc/passwd', 'touch .git/hooks/pre-commit']) {
      assert.equal(decision(line, allow), 'ask', line);
    }
    const verdict = judgeCommand('echo x 1<> ~/.bashrc', rules(allow), BASH);
    assert.ok(verdict.decision === 'ask' && /writes outside the workspace/.test(verdict.reason ?? ''), 'the card names <> as a write');
  });

  it('secrets and the API key are not read without asking', () => {
    for (const line of ['cat < .env', 'cat .en?', 'echo $(<.env)', 'cat ~/.git-credentials', 'cat /proc/$PPID/environ', 'cat /proc/self/environ', 'cat proc/environ', 'cat .git-credentials']) {
      assert.equal(decision(line, allow), 'ask', line);
    }
    for (const line of ['cat < .env', 'echo $(<.env)', 'cat /proc/1/environ']) {
      const verdict = judgeCommand(line, rules(allow), BASH);
      assert.ok(verdict.decision === 'ask' && /may hold secrets/.test(verdict.reason ?? ''), `${line} is named a secret on the card`);
    }
  });

  it('arguments that make a narrowly allowed program run commands ask', () => {
    const narrow = ['git status', 'git log', 'git diff', 'git grep', 'git clone', 'find', 'make build', 'go test', 'npm test', 'npm run build', 'pnpm test', 'yarn test'];
    for (const line of [
      'git -c core.pager=id status', 'git --config-env=core.pager=X status', 'git -C .. status', 'git log --output=x', 'git grep -O id x', 'git grep --open-files-in-pager=id x',
      'git clone --upload-pack=id x', 'git clone -u id x', 'git diff --ext-diff', 'git log --textconv', "git clone 'ext::sh -c id' x",
      'find . -exec id ;', 'find . -execdir id', 'find . -ok id', 'find . -delete', 'find . -fprint x', 'find . -fls x',
      'make build --eval=x', 'make build -f other.mk', 'make build -C sub', 'go test -exec id', 'go test -toolexec=id', 'npm test --prefix sub', 'npm run build -c id', 'npm test --call=id', 'pnpm test -C sub', 'yarn test --cwd sub',
    ]) {
      assert.equal(decision(line, narrow), 'ask', line);
    }
    for (const line of ['git status --short', 'git log --oneline main..feature', 'git diff -C HEAD', 'find src -name x', 'make build -j4', 'go test ./...', 'npm test -- --grep x']) {
      assert.equal(decision(line, narrow), 'allow', line);
    }
  });

  it('deny rules are not passed by wrappers, paths, keywords or git options', () => {
    const deny = ['git push'];
    for (const line of [
      'sudo git push', 'sudo -u root git push', 'git -C . push', '/usr/bin/git push', 'if true; then git push; fi', '! git push', 'timeout -s KILL 5 git push',
      'env -u X git push', 'git --no-pager push', 'git -c x=y push', 'git --git-dir=.git push', 'nice -n 5 git push', 'xargs -I{} git push', 'while true; do git push; done', 'doas git push',
    ]) {
      assert.equal(decision(line, ['git', 'sudo', 'env', 'timeout'], BASH, deny), 'deny', line);
    }
    // A deny rule applies whatever the shell.
    assert.equal(decision('git push', ['git'], 'pwsh', deny), 'deny');
    for (const line of ['git status', 'echo git push', 'git log --grep push']) assert.notEqual(decision(line, ['git', 'echo'], BASH, deny), 'deny', line);
  });
});

describe('"Always allow" offers no rule that runs anything', () => {
  it('is none when the subcommand is not a plain word, or the program runs or writes what it is told', () => {
    for (const line of [
      'git --no-pager diff', 'git -C sub status', 'find . -name x', "awk '{print}' x", "sed -n 1p x", 'bun -e 1', 'deno eval 1', 'npm exec x', 'uv run x', 'poetry run x', 'cd sub',
      'tee x', 'cp a b', 'mv a b', 'xargs ls', 'tar xf a.tar', 'env ls', 'make build', 'timeout 5 ls', 'nice ls', 'watch ls', 'npx x', 'pnpm dlx x', 'yarn dlx x', 'docker run x',
      'git config alias.x y', 'echo hello > out.txt', 'echo $HOME', 'cat ../x',
    ]) {
      assert.equal(suggestedRule(line, BASH), undefined, line);
    }
  });

  it('is none outside a POSIX shell, and one the line itself is then allowed by', () => {
    assert.equal(suggestedRule('ls -la', 'pwsh'), undefined);
    for (const [line, rule] of [['git status --short', 'git status'], ['npm run build:prod', 'npm run build:prod'], ['ls -la src', 'ls'], ['touch out.txt', 'touch']]) {
      assert.equal(suggestedRule(line, BASH), rule, line);
      assert.equal(judgeCommand(line, rules([rule]), BASH).decision, 'allow', line);
    }
  });
});
