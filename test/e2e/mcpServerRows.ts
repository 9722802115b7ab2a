// The rows of the MCP server list (Sonnet: Show MCP Servers), read as the user sees them.
import type { VSCode } from './harness';

/** The rows of the open quick pick, as their whole text (label, description, detail). */
export async function rows(vsc: VSCode): Promise<string[]> {
  return vsc.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((found) => found.map((row) => (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

export async function waitForRow(vsc: VSCode, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  while (Date.now() < deadline) {
    seen = await rows(vsc).catch(() => []);
    const row = seen.find((text) => pattern.test(text));
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`no MCP server row matching ${pattern} (rows: ${JSON.stringify(seen)})`);
}
