/**
 * `run_command`: a command line the user approves on its card (or a rule of theirs allows), run in
 * the workspace in a "Sonnet" terminal. The command and folder shown are the ones that run: both are
 * read once, before the question, and nothing changes them after. A rejected command never starts.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../api/log';
import { commandResult } from '../commandResult';
import { whyPathsNeedAsking } from '../commandPaths';
import { judgeCommand, normalizeCommandRules, suggestedRule, withAllowRule, type CommandVerdict } from '../commandRules';
import { awaitCommand } from '../commandWait';
import type { ToolHandler } from '../registry';
import type { ToolSettings } from '../settings';
import { secretReason } from '../paths';
import { done, refused, ToolError } from '../types';
import type { CommandTerminals, CommandWay } from './commandTerminals';
import { resolveTarget, statOf, type WorkspaceTarget } from './workspace';

interface CommandToolOptions {
  terminals: Pick<CommandTerminals, 'start'>;
  /** The shell commands run in (VS Code's `env.shell`): rules apply only where it is a POSIX one. */
  shell: () => string | undefined;
  settings: () => ToolSettings;
  /** The timeout when the model gives none. */
  limits: () => { commandTimeoutMs: number };
  /** Adds an allow rule to the user's settings (the card's "Always allow"). */
  allowAlways: (rule: string) => Promise<void>;
  log: Logger;
}

const WAYS: Record<CommandWay, string> = {
  shellIntegration: 'in the terminal "Sonnet" through shell integration',
  childProcess: 'as a child process of the editor in the user\'s shell (shell integration did not come up), its output mirrored into the terminal "Sonnet"',
};

export function commandTool(options: CommandToolOptions): ToolHandler<'run_command'> {
  const { log } = options;

  return {
    name: 'run_command',
    async run(input, context) {
      const command = input.command;
      if (command.trim() === '') throw new ToolError('The command is empty.');
      const folder = await resolveTarget(input.cwd ?? '');
      if (folder.uri.scheme !== 'file') throw new ToolError(`${folder.display} is not on this machine's disk, so no command can run there.`);
      const stat = await statOf(folder.uri);
      if (!stat || !(stat.type & vscode.FileType.Directory)) throw new ToolError(`${folder.display} is not a folder of the workspace.`);
      const where = folder.segments.length === 0 ? folder.folder.name : folder.display;

      const shell = options.shell();
      const verdict = await judgedOnDisk(judgeCommand(command, options.settings().commandRules, shell), folder);
      const { commandTimeoutMs } = options.limits();
      const { autoApproval } = context;
      if (verdict.decision === 'deny') {
        log.info(`Command (${context.callId}) refused by the deny rule "${verdict.rule}"`);
        return {
          content: `Not run: the user's rule "${verdict.rule}" (sonnet.tools.commandRules, deny) forbids this command. Do not try to get around it; ask the user if it is needed.`,
          status: 'rejected',
          summary: `Denied by the rule ${verdict.rule}`,
        };
      }
      if (verdict.decision === 'allow' && autoApproval.mayAutoApprove()) {
        autoApproval.autoApproved();
        log.info(`Command (${context.callId}) allowed by the rule${verdict.rules.length > 1 ? 's' : ''} ${verdict.rules.map((rule) => `"${rule}"`).join(', ')}, without asking`);
      } else {
        const why =
          verdict.decision === 'allow'
            ? ` ${autoApproval.limitNote}`
            : verdict.reason
              ? ` No rule can allow it: ${verdict.reason}.`
              : '';
        log.info(`Command (${context.callId}) needs approval${why}`);
        const rule = verdict.decision === 'ask' ? suggestedRule(command, shell) : undefined;
        const choice = await context.ask(`Run this command in ${where}?${why}\n${command}`, rule);
        if (choice.answer !== 'approved') return refused(choice.answer);
        if (choice.always && rule !== undefined) {
          await options.allowAlways(rule);
          log.info(`Command rule "${rule}" added to the allow rules of the user's settings`);
        }
      }
      if (context.signal.aborted) return refused('cancelled');

      const started = performance.now();
      const start = await options.terminals.start(command, folder.uri, context.signal);
      // Stopped while the terminal came up: the command never started.
      if (!start) return refused('cancelled');
      const { way, running } = start;
      const timeoutMs = input.timeoutSeconds === undefined ? commandTimeoutMs : input.timeoutSeconds * 1000;
      const report = await awaitCommand(running, { timeoutMs, background: input.background === true, signal: context.signal, started });
      log.info(`Command (${context.callId}) ${report.state}${report.exit ? ` with exit code ${report.exit.exitCode ?? report.exit.signal ?? 'unknown'}` : ''}, ran ${way}, printed ${report.printed} chars`);
      const result = commandResult(report, WAYS[way]);
      return done(result.content, result.summary);
    },
  };
}

/**
 * A rule's allow as it stands once the disk is looked at: a command whose folder, or a file it names
 * (through a link), is in `.git`, holds secrets or leads out of the workspace asks instead.
 */
async function judgedOnDisk(verdict: CommandVerdict, folder: WorkspaceTarget): Promise<CommandVerdict> {
  if (verdict.decision !== 'allow') return verdict;
  const folderReason = secretReason(folder.realSegments) ?? secretReason(folder.segments);
  if (folderReason) return { decision: 'ask', reason: `it runs in ${folder.realDisplay}, ${folderReason}` };
  const pathReason = await whyPathsNeedAsking(folder.folder.uri.fsPath, folder.uri.fsPath, verdict.paths);
  return pathReason ? { decision: 'ask', reason: pathReason } : verdict;
}

/** `allowAlways` as the editor does it: into the user's settings, which a workspace cannot override. */
export async function addUserAllowRule(rule: string): Promise<void> {
  const settings = vscode.workspace.getConfiguration('sonnet.tools');
  const current = normalizeCommandRules(settings.inspect('commandRules')?.globalValue);
  await settings.update('commandRules', withAllowRule(current, rule), vscode.ConfigurationTarget.Global);
}
