/**
 * `sonnet.tools.commandRules`: which commands run without asking (allow) and which never run (deny).
 * A rule is a command prefix, matched word by word (`npm test` matches `npm test -- --grep x`, not
 * `npm testing`); deny wins over allow. A line of several commands (`;`, `&&`, `|`, `$(…)`…) is allowed
 * only if every one of them is, and a dangerous one (`commandDanger.ts`) or one the split cannot
 * follow is never allowed by a rule, only by a click.
 */
import { parseCommandLine } from './commandLine';
import { commandWords, dangerOf, isAssignment } from './commandDanger';

export interface CommandRules {
  allow: readonly string[];
  deny: readonly string[];
}

export const NO_COMMAND_RULES: CommandRules = { allow: [], deny: [] };

export type CommandVerdict =
  | { decision: 'allow'; rules: string[] }
  | { decision: 'deny'; rule: string }
  /** Ask the user; `dangerous` says why no rule could allow it, when that is why. */
  | { decision: 'ask'; dangerous?: string };

/** The setting as read: rules that are not a single plain command are dropped. */
export function normalizeCommandRules(raw: unknown): CommandRules {
  const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const list = (value: unknown) =>
    Array.isArray(value) ? [...new Set(value.filter((rule): rule is string => typeof rule === 'string').map(ruleText).filter((rule) => rule !== ''))] : [];
  return { allow: list(record.allow), deny: list(record.deny) };
}

/** A rule as matched: its words, or empty when it is not one plain command. */
function ruleText(rule: string): string {
  const parsed = parseCommandLine(rule);
  return parsed.problems.length === 0 && parsed.parts.length === 1 && parsed.parts[0].writes.length === 0 ? parsed.parts[0].words.join(' ') : '';
}

export function judgeCommand(line: string, rules: CommandRules): CommandVerdict {
  const { parts, problems } = parseCommandLine(line);
  for (const part of parts) {
    // Deny looks past assignments and wrappers: `FOO=1 sudo git push` is still a `git push`.
    const rule = rules.deny.find((deny) => startsWith(part.words, deny) || startsWith(commandWords(part.words), deny));
    if (rule !== undefined) return { decision: 'deny', rule };
  }
  if (problems.length > 0) return { decision: 'ask', dangerous: `the command line cannot be judged part by part: ${problems[0]}` };
  for (const part of parts) {
    const danger = dangerOf(part);
    if (danger) return { decision: 'ask', dangerous: danger };
  }
  const used: string[] = [];
  for (const part of parts) {
    // A leading assignment (`NODE_OPTIONS=… npm test`) changes what the command does: no rule covers it.
    const rule = isAssignment(part.words[0] ?? '') ? undefined : rules.allow.find((allow) => startsWith(part.words, allow));
    if (rule === undefined) return { decision: 'ask' };
    if (!used.includes(rule)) used.push(rule);
  }
  return parts.length > 0 ? { decision: 'allow', rules: used } : { decision: 'ask' };
}

function startsWith(words: readonly string[], rule: string): boolean {
  const ruleWords = rule.split(' ');
  return ruleWords.length <= words.length && ruleWords.every((word, index) => words[index] === word);
}

/** Programs whose first argument picks what they do: their rule takes two words (`git status`). */
const WITH_SUBCOMMANDS = new Set(['git', 'npm', 'pnpm', 'yarn', 'cargo', 'go', 'docker', 'kubectl', 'dotnet', 'pip', 'pip3', 'poetry', 'uv', 'make', 'gradle', 'mvn', 'deno', 'bun', 'gh', 'rustup', 'swift', 'mix', 'composer']);
/** Programs that run code given on their command line: a rule for them would allow anything. */
const RUNS_ANYTHING = new Set(['node', 'python', 'python3', 'python2', 'perl', 'ruby', 'php', 'lua', 'npx', 'pnpx', 'bunx', 'sh', 'bash', 'zsh', 'dash', 'fish', 'ksh', 'pwsh', 'powershell', 'cmd', 'osascript', 'ssh']);

/**
 * The allow rule an "Always allow" choice offers for `line`: its program, with the subcommand for
 * programs that have them (`npm run` takes the script too). None for a line of several commands, a
 * dangerous one, or a program that runs code from its arguments.
 */
export function suggestedRule(line: string): string | undefined {
  const { parts, problems } = parseCommandLine(line);
  if (problems.length > 0 || parts.length !== 1 || dangerOf(parts[0])) return undefined;
  const words = parts[0].words;
  const [program, sub, script] = words;
  if (program === undefined || isAssignment(program) || commandWords(words)[0] !== program || RUNS_ANYTHING.has(program) || !/^[\w.@+-]+$/.test(program)) return undefined;
  const plain = (word: string | undefined): word is string => word !== undefined && /^[a-z][\w:.-]*$/i.test(word);
  if (!WITH_SUBCOMMANDS.has(program) || !plain(sub)) return program;
  return (sub === 'run' || sub === 'run-script') && plain(script) ? `${program} ${sub} ${script}` : `${program} ${sub}`;
}

/** `rules` with `rule` allowed (a deny rule of the same words is left as it is: deny wins). */
export function withAllowRule(rules: CommandRules, rule: string): CommandRules {
  return rules.allow.includes(rule) ? rules : { allow: [...rules.allow, rule], deny: rules.deny };
}
