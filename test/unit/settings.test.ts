import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINT_SETTINGS, normalizeCheckpointSettings } from '../../src/chat/checkpointSettings';
import { DEFAULT_CONFIG, normalizeConfig, SETTINGS } from '../../src/chat/settings';

interface DeclaredSetting {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, DeclaredSetting> } };
  capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
};
const declared = manifest.contributes.configuration.properties;

describe('settings: one source for defaults and bounds', () => {
  it('package.json declares every chat setting with the default and bounds of SETTINGS', () => {
    const checkpoints = Object.entries(CHECKPOINT_SETTINGS).map(([name, setting]) => [`checkpoints.${name}`, setting] as const);
    for (const [name, setting] of [...Object.entries(SETTINGS), ...checkpoints]) {
      const entry = declared[`sonnet.${name}`];
      assert.ok(entry, `package.json declares sonnet.${name}`);
      assert.deepEqual(entry.default, setting.default, `default of sonnet.${name}`);
      if ('minimum' in setting) {
        assert.equal(entry.minimum, setting.minimum, `minimum of sonnet.${name}`);
        assert.equal(entry.maximum, setting.maximum, `maximum of sonnet.${name}`);
        assert.equal(entry.type, setting.integer ? 'integer' : 'number', `type of sonnet.${name}`);
      }
    }
  });

  it('every sonnet.* setting of package.json is read: by the chat, the tools, or the MCP servers', () => {
    const chat = [...Object.keys(SETTINGS), ...Object.keys(CHECKPOINT_SETTINGS).map((name) => `checkpoints.${name}`)].map((name) => `sonnet.${name}`);
    const others = Object.keys(declared).filter((name) => !chat.includes(name));
    assert.deepEqual(others.sort(), [
      'sonnet.externalTools.timeoutSeconds',
      'sonnet.mcp.allowedServers',
      'sonnet.mcp.timeoutSeconds',
      'sonnet.mcpServers',
      'sonnet.tools.autoApproveEdits',
      'sonnet.tools.commandRules',
      'sonnet.tools.enabled',
      'sonnet.vscodeTools.allowed',
      'sonnet.vscodeTools.offered',
    ]);
  });

  it('a workspace cannot choose where requests (and the key) go, turn approval off, allow commands, raise the tool rounds, prune checkpoints or add MCP servers to the settings', () => {
    // `application`: the user's own settings only, in remote windows too; VS Code ignores a workspace's
    // or folder's value. (`machine` would ignore the local user's value in a remote window, code-server
    // included, once settings are read again.)
    const userOnly = ['sonnet.baseUrl', 'sonnet.maxToolRounds', 'sonnet.checkpoints.enabled', 'sonnet.checkpoints.maxWorkspaceMB', 'sonnet.checkpoints.maxFileMB', 'sonnet.checkpoints.keepPerConversation', 'sonnet.checkpoints.maxAgeDays', 'sonnet.tools.autoApproveEdits', 'sonnet.tools.commandRules', 'sonnet.tools.maxAutoApprovedRounds', 'sonnet.vscodeTools.allowed', 'sonnet.mcp.allowedServers', 'sonnet.mcpServers'];
    assert.deepEqual(
      Object.keys(declared).filter((name) => declared[name].scope === 'application'),
      userOnly,
    );
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), [...userOnly].sort());
    assert.ok(untrusted?.description, 'Restricted Mode says what is limited');
  });

  it('a missing or malformed value gets the default; one out of bounds, the nearest bound', () => {
    assert.deepEqual(normalizeConfig({ maxTokens: 'lots', requestTimeoutSeconds: Number.NaN }), DEFAULT_CONFIG);
    const config = normalizeConfig({ maxTokens: 10_000_000, maxRetries: -3, requestTimeoutSeconds: 7.5, maxToolRounds: 2.6, baseUrl: 'http://x/v1///' });
    assert.equal(config.maxTokens, 64_000);
    assert.equal(config.maxRetries, 0);
    assert.equal(config.timeoutMs, 7_500);
    assert.equal(config.maxToolRounds, 3);
    assert.equal(config.baseUrl, 'http://x/v1');
    const checkpoints = normalizeCheckpointSettings({ enabled: 'no', maxWorkspaceMB: 0, maxFileMB: 'big', keepPerConversation: 12.4, maxAgeDays: 1e9 });
    assert.deepEqual(checkpoints, { enabled: true, limits: { maxWorkspaceBytes: 1024 * 1024, maxFileBytes: 20 * 1024 * 1024 }, keepPerConversation: 12, maxAgeMs: 3650 * 24 * 3600_000 });
    assert.equal(normalizeCheckpointSettings({ enabled: false }).enabled, false);
  });
});
