/**
 * `sonnet.tools.commandRules`: which commands run without asking (allow) and which never run (deny).
 * A rule is a command prefix, matched word by word (`npm test` matches `npm test -- --grep x`, not
 * `npm testing`); deny wins over allow, and looks past wrappers and shell keywords (`sudo`, `if`…).
 * A rule allows only what can be judged for sure: a line in a POSIX shell (bash, zsh, sh, dash) made
 * of plain words (`plainCommandLine.ts`), every command of it allowed, none of them on the
 * never-auto list (`commandDanger.ts`) nor naming paths outside the workspace or secrets
 * (`commandRuleLimits.ts`). Anything else asks.
 */
import { parseCommandLine } from './commandLine';
import { dangerOf } from './commandDanger';
import { baseName, denyRuleMatches, isAssignment, programWords, RUNS_ANYTHING, RUNS_ANYTHING_SUBCOMMANDS } from './commandPrograms';
import { pathCandidates, whyNoRuleAllows } from './commandRuleLimits';
import { plainCommandLine } from './plainCommandLine';
import { posixShellName } from './processRunner';

export interface CommandRules {
  allow: readonly string[];
  deny: readonly string[];
}

export const NO_COMMAND_RULES: CommandRules = { allow: [], deny: [] };

export type CommandVerdict =
  /** `paths`: the words that may name files, for the caller to judge where they lead on disk. */
  | { decision: 'allow'; rules: string[]; paths: string[] }
  | { decision: 'deny'; rule: string }
  /** Ask the user; `reason` says why no rule could allow it, when that is why. */
  | { decision: 'ask'; reason?: string };

/** The setting as read: rules that are not a single plain command are dropped. */
export function normalizeCommandRules(raw: unknown): CommandRules {
  const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const list = (value: unknown) =>
    Array.isArray(value) ? [...new Set(value.filter((rule): rule is string => typeof rule === 'string').map(ruleText).filter((rule) => rule !== ''))] : [];
  return { allow: list(record.allow), deny: list(record.deny) };
}

/** A rule as matched: its words, or empty when it is not one plain command. */
function ruleText(rule: string): string {
  const parsed = plainCommandLine(rule);
  return parsed.plain && parsed.commands.length === 1 ? parsed.commands[0].join(' ') : '';
}

/** How `line` is decided, run by `shell` (a path, as VS Code's `env.shell` gives it). */
export function judgeCommand(line: string, rules: CommandRules, shell: string | undefined): CommandVerdict {
  const { parts, problems } = parseCommandLine(line);
  for (const part of parts) {
    const rule = rules.deny.find((deny) => startsWith(part.words, deny) || denyRuleMatches(part.words, deny));
    if (rule !== undefined) return { decision: 'deny', rule };
  }
  if (problems.length > 0) return { decision: 'ask', reason: `the command line cannot be judged part by part: ${problems[0]}` };
  for (const part of parts) {
    const danger = dangerOf(part);
    if (danger) return { decision: 'ask', reason: danger };
  }
  // Read loosely, would rules cover every part? Only then is it worth saying why they do not.
  if (parts.length === 0 || !parts.every((part) => allowRuleOf(part.words, rules) !== undefined)) return { decision: 'ask' };
  if (!posixShellName(shell)) return { decision: 'ask', reason: `rules apply only in bash, zsh, sh and dash, and commands run in ${shell?.trim() ? baseName(shell) : 'an unknown shell'}` };
  const plain = plainCommandLine(line);
  if (!plain.plain) return { decision: 'ask', reason: plain.why };
  const used: string[] = [];
  for (const words of plain.commands) {
    const limit = whyNoRuleAllows(words);
    if (limit) return { decision: 'ask', reason: limit };
    const rule = allowRuleOf(words, rules);
    if (rule === undefined) return { decision: 'ask' };
    if (!used.includes(rule)) used.push(rule);
  }
  return { decision: 'allow', rules: used, paths: plain.commands.flatMap(pathCandidates) };
}

/** The allow rule that covers `words`; none when variables are set in front (`NODE_OPTIONS=… npm test`), which changes what it does. */
function allowRuleOf(words: readonly string[], rules: CommandRules): string | undefined {
  return isAssignment(words[0] ?? '') ? undefined : rules.allow.find((allow) => startsWith(words, allow));
}

function startsWith(words: readonly string[], rule: string): boolean {
  const ruleWords = rule.split(' ');
  return ruleWords.length <= words.length && ruleWords.every((word, index) => words[index] === word);
}

/** Programs whose first argument picks what they do: their rule takes two words (`git status`). */
const WITH_SUBCOMMANDS = new Set(['git', 'npm', 'pnpm', 'yarn', 'cargo', 'go', 'docker', 'kubectl', 'dotnet', 'pip', 'pip3', 'poetry', 'uv', 'gradle', 'mvn', 'deno', 'bun', 'gh', 'rustup', 'swift', 'mix', 'composer']);

/**
 * The allow rule an "Always allow" choice offers for `line`: its program, with the subcommand for
 * programs that have them (`npm run` takes the script too). None for a line of several commands, a
 * program that runs anything or writes anywhere, options before the subcommand, or a line the rule
 * would not allow in `shell` after all.
 */
export function suggestedRule(line: string, shell: string | undefined): string | undefined {
  const plain = plainCommandLine(line);
  if (!plain.plain || plain.commands.length !== 1) return undefined;
  const words = plain.commands[0];
  const [program, sub, script] = words;
  if (program === undefined || programWords(words).words[0] !== program || RUNS_ANYTHING.has(program) || !/^[\w.@+-]+$/.test(program)) return undefined;
  const plainWord = (word: string | undefined): word is string => word !== undefined && /^[a-z][\w:.-]*$/i.test(word);
  let rule = program;
  if (WITH_SUBCOMMANDS.has(program) && sub !== undefined) {
    if (!plainWord(sub) || RUNS_ANYTHING_SUBCOMMANDS.has(`${program} ${sub}`)) return undefined;
    rule = (sub === 'run' || sub === 'run-script') && plainWord(script) ? `${program} ${sub} ${script}` : `${program} ${sub}`;
  }
  return judgeCommand(line, { allow: [rule], deny: [] }, shell).decision === 'allow' ? rule : undefined;
}

/** `rules` with `rule` allowed (a deny rule of the same words is left as it is: deny wins). */
export function withAllowRule(rules: CommandRules, rule: string): CommandRules {
  return rules.allow.includes(rule) ? rules : { allow: [...rules.allow, rule], deny: rules.deny };
}
