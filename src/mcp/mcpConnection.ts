/**
 * One connection to one MCP server, with the official client SDK: a process over stdio, or Streamable
 * HTTP. It opens (initialize, tools/list), calls tools, re-lists them when the server says they
 * changed, and tells its owner when the connection ends without being asked to. Restarts, state and
 * messages to the user are the owner's (`McpServers`).
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Client, SdkError, SdkErrorCode, StreamableHTTPClientTransport, type Tool, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Logger } from '../api/log';
import type { McpServerOrigin, McpTool, McpToolCallResult } from '../tools/mcpToolSource';
import type { McpServerConfig } from './mcpConfig';
import { toolCallResult } from './mcpContent';
import { parseEnvFile, serverEnvironment } from './mcpEnvironment';

export interface McpConnectionOptions {
  /** Where the server was configured: each of its tools says so. */
  origin: McpServerOrigin;
  /** How long the server may take to start or to answer one call (read each time: the setting may change). */
  timeoutMs(): number;
  log: Logger;
  onToolsChanged(tools: McpTool[]): void;
  /** The connection ended without `close()`: the process exited or the HTTP session went away. */
  onLost(reason: string): void;
}

/** What the log keeps of a server's stderr per process, and the tail a failure message quotes. */
const STDERR_LOG_LINES = 200;
const STDERR_TAIL_CHARS = 600;

export class McpConnection {
  private readonly client = new Client({ name: 'sonnet-chat', version: '1.0.0' }, { listChanged: { tools: { onChanged: (error, tools) => this.toolsChanged(error, tools) } } });
  private transport: Transport | undefined;
  private closing = false;
  /** Until open() has listed the tools, an ending connection is a failure to start, which open() throws. */
  private opened = false;
  private stderrTail = '';
  private stderrLines = 0;
  /** The process id of a stdio server, once it runs. */
  pid: number | undefined;

  constructor(
    private readonly server: McpServerConfig,
    private readonly options: McpConnectionOptions,
  ) {}

  /** Starts the server and lists its tools; throws with a message that says what went wrong. */
  async open(): Promise<McpTool[]> {
    try {
      this.transport = await this.createTransport();
      this.client.onclose = () => {
        if (this.opened && !this.closing) this.options.onLost(this.withStderr(this.endedConnection()));
      };
      await this.client.connect(this.transport, { timeout: this.options.timeoutMs() });
      if (this.transport instanceof StdioClientTransport) this.pid = this.transport.pid ?? undefined;
      const { tools } = await this.client.listTools(undefined, { timeout: this.options.timeoutMs() });
      this.opened = true;
      return tools.map((tool) => this.toolOf(tool));
    } catch (error) {
      this.closing = true;
      await this.client.close().catch(() => undefined);
      throw new Error(this.withStderr(this.startFailure(error)), { cause: error });
    }
  }

  async call(tool: string, input: unknown, signal: AbortSignal): Promise<McpToolCallResult> {
    const args = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
    try {
      return toolCallResult(await this.client.callTool({ name: tool, arguments: args }, { signal, timeout: this.options.timeoutMs() }));
    } catch (error) {
      if (signal.aborted) throw new Error(`Cancelled: the user stopped the call of ${tool}.`, { cause: error });
      if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) throw new Error(`MCP server "${this.server.name}" stopped during the call of ${tool}: ${this.withStderr(this.endedConnection())}.`, { cause: error });
      if (isTimeout(error)) throw new McpTimeoutError(`MCP server "${this.server.name}" did not answer the call of ${tool} within ${seconds(this.options.timeoutMs())}.`);
      throw new Error(`MCP server "${this.server.name}" failed the call of ${tool}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Ends the connection (a stdio server's process: stdin closed, then SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.closing = true;
    await this.client.close().catch((error: unknown) => this.options.log.warn(`MCP server "${this.server.name}": closing failed: ${messageOf(error)}`));
  }

  private async createTransport(): Promise<Transport> {
    const server = this.server;
    if (server.kind === 'http') return new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.headers } });
    const fromFile = server.envFile ? parseEnvFile(await readEnvFile(server.envFile)) : {};
    const { env, withheld } = serverEnvironment(fromFile, server.env);
    if (withheld.length > 0) this.options.log.warn(`MCP server "${server.name}": ${withheld.join(', ')} is never passed to MCP servers; left out.`);
    const transport = new StdioClientTransport({ command: server.command, args: server.args, env, stderr: 'pipe', ...(server.cwd ? { cwd: server.cwd } : {}) });
    (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => this.stderr(chunk.toString('utf8')));
    return transport;
  }

  private stderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    for (const line of text.split(/\r?\n/).filter((part) => part.trim() !== '')) {
      this.stderrLines += 1;
      if (this.stderrLines <= STDERR_LOG_LINES) this.options.log.info(`[mcp ${this.server.name}] ${line.slice(0, 1000)}`);
      else if (this.stderrLines === STDERR_LOG_LINES + 1) this.options.log.info(`[mcp ${this.server.name}] (more stderr output is not logged)`);
    }
  }

  private toolsChanged(error: Error | null, tools: Tool[] | null): void {
    if (error) this.options.log.warn(`MCP server "${this.server.name}": re-listing its tools failed: ${error.message}`);
    else if (tools) this.options.onToolsChanged(tools.map((tool) => this.toolOf(tool)));
  }

  private toolOf(tool: Tool): McpTool {
    return { server: this.server.name, origin: this.options.origin, name: tool.name, ...(tool.description ? { description: tool.description } : {}), inputSchema: { ...tool.inputSchema, type: 'object' } };
  }

  private startFailure(error: unknown): string {
    if (isTimeout(error)) return `did not answer within ${seconds(this.options.timeoutMs())} of starting`;
    const code = (error as { code?: unknown }).code;
    if (this.server.kind === 'stdio' && code === 'ENOENT') return `could not start: the program "${this.server.command}" was not found`;
    if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) return `could not start: ${this.endedConnection()} before it answered`;
    if (this.server.kind === 'http') return `could not start: ${this.server.url} did not answer (${messageOf(error)}${causeCode(error)})`;
    return `could not start: ${messageOf(error)}`;
  }

  private endedConnection(): string {
    return this.server.kind === 'stdio' ? 'the server process exited' : 'the connection closed';
  }

  /** The message, with the last of what the server wrote to stderr (usually the reason it failed). */
  private withStderr(message: string): string {
    const tail = this.stderrTail.trim();
    return tail ? `${message}. It wrote: ${tail}` : message;
  }
}

/** A call that ran out of time: the server may be stuck, which its owner tells the user. */
export class McpTimeoutError extends Error {
  override readonly name = 'McpTimeoutError';
}

async function readEnvFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`its envFile ${file} cannot be read (${messageOf(error)})`, { cause: error });
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
}

/** The system error under a failed fetch ("ECONNREFUSED"), which its own message leaves out. */
function causeCode(error: unknown): string {
  for (let cause = (error as { cause?: unknown }).cause; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return `: ${code}`;
  }
  return '';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
