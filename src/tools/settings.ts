/** The `sonnet.tools.*` settings, checked in plain TypeScript (read from VS Code in `src/tools/vscode/`). */
import { normalizeCommandRules, type CommandRules } from './commandRules';
import { TOOL_SPECS, type ToolName } from './definitions';

export interface ToolSettings {
  /** Tools the model may call; each can be turned off in `sonnet.tools.enabled`. */
  enabled: ReadonlySet<ToolName>;
  /** Apply edits and new files without showing them for approval first. */
  autoApproveEdits: boolean;
  /** Commands `run_command` runs without asking, and those it never runs. */
  commandRules: CommandRules;
}

/** A tool is on unless `sonnet.tools.enabled` sets it to `false`, so tools added later start on. */
export function normalizeToolSettings(raw: { enabled?: unknown; autoApproveEdits?: unknown; commandRules?: unknown }): ToolSettings {
  const switches = raw.enabled && typeof raw.enabled === 'object' ? (raw.enabled as Record<string, unknown>) : {};
  return {
    enabled: new Set(TOOL_SPECS.map((spec) => spec.name).filter((name) => switches[name] !== false)),
    autoApproveEdits: raw.autoApproveEdits === true,
    commandRules: normalizeCommandRules(raw.commandRules),
  };
}
