/**
 * The workspace tools on a real folder, as the unit tests that drive them through the registry set
 * them up: a sandbox folder whose `workspace/` is the one workspace folder of the fake vscode (which
 * reads and writes the disk), the registry over the handlers a test names, and a record of the
 * changes shown as diffs. `autoApproveEdits` and that record are reset before each test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApprovalBroker } from '../../src/tools/approvals';
import type { AnyToolHandler, ToolRegistry } from '../../src/tools/registry';
import type { ToolSettings } from '../../src/tools/settings';
import { sharedFakeVscode } from '../fixtures/fakeVscode';

/** What the edit tools are built with, for tests that include them. */
export interface EditToolsParts {
  proposals: { show(id: string, uri: { fsPath: string }): { dispose(): void } };
  settings: () => ToolSettings;
}

export interface ToolWorkspace {
  /** The folder holding the workspace folder, for files outside it. */
  readonly sandbox: string;
  /** The workspace folder. */
  readonly root: string;
  readonly registry: ToolRegistry;
  readonly approvals: ApprovalBroker;
  /** The files whose change was shown as a diff, relative to the root. */
  readonly shown: string[];
  autoApproveEdits: boolean;
}

export function useToolWorkspace(prefix: string, handlers: (edit: EditToolsParts) => Promise<AnyToolHandler[]>): ToolWorkspace {
  const vscode = sharedFakeVscode().api;
  const state = { sandbox: '', root: '', registry: undefined as unknown as ToolRegistry, approvals: undefined as unknown as ApprovalBroker, shown: [] as string[], autoApproveEdits: false };
  before(async () => {
    state.sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    state.root = path.join(state.sandbox, 'workspace');
    vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(state.root), name: 'workspace', index: 0 }];
    // Loaded only now: they import `vscode`, which the fake provides.
    const { ApprovalBroker } = await import('../../src/tools/approvals');
    const { ToolRegistry } = await import('../../src/tools/registry');
    const { normalizeToolSettings } = await import('../../src/tools/settings');
    const settings = () => normalizeToolSettings({ autoApproveEdits: state.autoApproveEdits });
    const proposals = { show: (_id: string, uri: { fsPath: string }) => (state.shown.push(path.relative(state.root, uri.fsPath)), { dispose: () => {} }) };
    state.approvals = new ApprovalBroker();
    state.registry = new ToolRegistry(await handlers({ proposals, settings }), settings, state.approvals);
  });
  after(() => {
    vscode.workspace.workspaceFolders = undefined;
    fs.rmSync(state.sandbox, { recursive: true, force: true });
  });
  beforeEach(() => {
    state.autoApproveEdits = false;
    state.shown.length = 0;
  });
  return state;
}
