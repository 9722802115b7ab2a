/** The editor tools, put together: what `extension.ts` wires into the chat and registers with VS Code. */
import * as vscode from 'vscode';
import type { Logger } from '../../api/log';
import { DisposableStore } from '../../shared/disposableStore';
import { ApprovalBroker } from '../approvals';
import { ToolRegistry } from '../registry';
import { normalizeToolSettings, type ToolSettings } from '../settings';
import { readConfig } from '../../config';
import { addUserAllowRule, commandTool } from './commandTool';
import { CommandTerminals } from './commandTerminals';
import { editTools } from './editTools';
import { languageModelTools } from './languageModelTools';
import { ProposedChanges } from './proposedChanges';
import { getDiagnostics, getSelection, listDirectory, readFile } from './readTools';
import { findFiles, searchText } from './searchTools';

export interface EditorTools {
  registry: ToolRegistry;
  /** Where the Chat view's Accept and Reject go. */
  approvals: ApprovalBroker;
  /** The proposed side of each edit's diff, and the diff's Accept and Reject. */
  proposals: ProposedChanges;
  /** The read-only tools, for VS Code's agent. */
  languageModelTools: Map<string, vscode.LanguageModelTool<unknown>>;
  /** What the tools hold open (the proposals' documents, the command terminals), disposed with the extension. */
  disposables: DisposableStore;
}

/** Read at each call, so a changed setting applies to the next one. */
export function readToolSettings(): ToolSettings {
  const settings = vscode.workspace.getConfiguration('sonnet.tools');
  return normalizeToolSettings({ enabled: settings.get('enabled'), autoApproveEdits: settings.get('autoApproveEdits'), commandRules: settings.get('commandRules') });
}

export function createEditorTools(log: Logger): EditorTools {
  const approvals = new ApprovalBroker();
  const disposables = new DisposableStore();
  const proposals = disposables.add(new ProposedChanges(approvals, log));
  const terminals = disposables.add(new CommandTerminals(log));
  const runCommand = commandTool({ terminals, shell: () => vscode.env.shell, settings: readToolSettings, limits: readConfig, allowAlways: addUserAllowRule, log });
  const handlers = [readFile, listDirectory, findFiles, searchText, getDiagnostics, getSelection, ...editTools({ proposals, settings: readToolSettings }), runCommand];
  const registry = new ToolRegistry(handlers, readToolSettings, approvals);
  return { registry, approvals, proposals, languageModelTools: languageModelTools(registry), disposables };
}
