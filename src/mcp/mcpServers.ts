/**
 * The configured MCP servers and their connections: what the tool layer sees through `McpToolSource`,
 * and what the server list shows. A server starts when a conversation first asks for the tools, is
 * restarted after a crash at most `MAX_RESTARTS` times a minute, and is stopped when its configuration
 * changes or goes away and when the window closes.
 */
import type { Logger } from '../api/log';
import type { McpServerOrigin, McpTool, McpToolCallResult, McpToolSource } from '../tools/mcpToolSource';
import type { McpServerConfig, McpServerSource } from './mcpConfig';
import { McpConnection, McpTimeoutError } from './mcpConnection';

export type McpServerState =
  | { kind: 'notStarted' }
  | { kind: 'starting' }
  | { kind: 'running'; tools: McpTool[] }
  | { kind: 'failed'; reason: string }
  /** Not started on purpose: a workspace server in an untrusted workspace. */
  | { kind: 'blocked'; reason: string };

export interface McpServerStatus {
  name: string;
  source: McpServerSource;
  state: McpServerState;
  /** The process of a running stdio server. */
  pid?: number;
}

/** A configured server, where (its tools carry it, for the allow-list), and why it may not start (a workspace not trusted), if so. */
export interface McpServerEntry {
  config: McpServerConfig;
  origin: McpServerOrigin;
  blocked?: string;
}

export interface McpServersOptions {
  log: Logger;
  timeoutMs(): number;
  /** The server ready to start: its variables resolved (inputs asked for). Throws with the reason it cannot. */
  prepare(config: McpServerConfig): Promise<McpServerConfig>;
  /** A server failed, crashed or timed out: the message for the Chat view (with Restart). */
  onFailure(server: string, message: string): void;
  /** Any server's state or tools changed. */
  onChange(): void;
}

/** Crashes within `RESTART_WINDOW_MS` after which a server is left stopped. */
export const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

interface Slot {
  entry: McpServerEntry;
  state: McpServerState;
  connection?: McpConnection;
  starting?: Promise<void>;
  /** Counts stops: a start that finds it changed was overtaken (stopped, restarted) and gives up. */
  generation: number;
  crashes: number[];
}

export class McpServers implements McpToolSource {
  private readonly slots = new Map<string, Slot>();
  /** Connections being closed, which `dispose` waits for too. */
  private readonly closing = new Set<Promise<void>>();
  private disposed = false;

  constructor(private readonly options: McpServersOptions) {}

  /** Takes the configuration as it is now: changed or removed servers stop, changed ones that had started start again. */
  configure(entries: McpServerEntry[]): void {
    const next = new Map(entries.map((entry) => [entry.config.name, entry]));
    for (const [name, slot] of this.slots) {
      const entry = next.get(name);
      if (entry && sameEntry(entry, slot.entry)) continue;
      const wasStarted = slot.state.kind !== 'notStarted' && slot.state.kind !== 'blocked';
      void this.stop(slot);
      this.slots.delete(name);
      if (entry && wasStarted) this.options.log.info(`MCP server "${name}": its configuration changed; restarting it.`);
      else this.options.log.info(`MCP server "${name}": ${entry ? 'its configuration changed' : 'no longer configured'}; stopped.`);
      if (entry) {
        const fresh = this.add(entry);
        if (wasStarted) void this.start(fresh);
      }
    }
    for (const entry of entries) if (!this.slots.has(entry.config.name)) this.add(entry);
    this.options.onChange();
  }

  async tools(signal: AbortSignal): Promise<McpTool[]> {
    const slots = [...this.slots.values()];
    for (const slot of slots) if (slot.state.kind === 'notStarted') void this.start(slot);
    // Stop stops the wait, not the start: the server is ready for the next conversation.
    await abortable(Promise.all(slots.flatMap((slot) => (slot.starting ? [slot.starting] : []))), signal);
    return slots.flatMap((slot) => (slot.state.kind === 'running' ? slot.state.tools : []));
  }

  async call(server: string, tool: string, input: unknown, signal: AbortSignal): Promise<McpToolCallResult> {
    const slot = this.slots.get(server);
    if (!slot) throw new Error(`There is no MCP server "${server}" (any more).`);
    if (slot.starting) await abortable(slot.starting, signal);
    const connection = slot.connection;
    if (!connection || slot.state.kind !== 'running') throw new Error(`MCP server "${server}" is not running${reasonOf(slot.state)}.`);
    try {
      return await connection.call(tool, input, signal);
    } catch (error) {
      if (error instanceof McpTimeoutError) this.options.onFailure(server, error.message);
      throw error;
    }
  }

  serverNames(): string[] {
    return [...this.slots.keys()];
  }

  statuses(): McpServerStatus[] {
    return [...this.slots.values()].map((slot) => ({
      name: slot.entry.config.name,
      source: slot.entry.config.source,
      state: slot.state,
      ...(slot.state.kind === 'running' && slot.connection?.pid !== undefined ? { pid: slot.connection.pid } : {}),
    }));
  }

  /** Stops the server if it runs and starts it again, with a fresh restart budget (the user asked). */
  async restart(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`There is no MCP server "${name}".`);
    if (slot.state.kind === 'blocked') throw new Error(`MCP server "${name}" ${slot.state.reason}.`);
    await slot.starting;
    await this.stop(slot);
    slot.crashes = [];
    await this.start(slot);
  }

  /** Ends every server's process; waits until they are gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.slots.values()].map((slot) => this.stop(slot)));
    await Promise.all(this.closing);
  }

  private add(entry: McpServerEntry): Slot {
    const slot: Slot = { entry, state: entry.blocked ? { kind: 'blocked', reason: entry.blocked } : { kind: 'notStarted' }, generation: 0, crashes: [] };
    this.slots.set(entry.config.name, slot);
    return slot;
  }

  private start(slot: Slot): Promise<void> {
    if (slot.state.kind === 'blocked' || this.disposed) return Promise.resolve();
    slot.starting ??= this.open(slot).finally(() => (slot.starting = undefined));
    return slot.starting;
  }

  private async open(slot: Slot): Promise<void> {
    const name = slot.entry.config.name;
    const generation = slot.generation;
    const overtaken = () => slot.generation !== generation || this.disposed;
    this.setState(slot, { kind: 'starting' });
    const started = performance.now();
    let connection: McpConnection | undefined;
    try {
      const config = await this.options.prepare(slot.entry.config);
      if (overtaken()) return;
      connection = new McpConnection(config, {
        origin: slot.entry.origin,
        log: this.options.log,
        timeoutMs: () => this.options.timeoutMs(),
        onToolsChanged: (tools) => {
          if (slot.connection !== connection) return;
          this.options.log.info(`MCP server "${name}": its tools changed (${tools.length}).`);
          this.setState(slot, { kind: 'running', tools });
        },
        onLost: (reason) => {
          if (slot.connection === connection) this.lost(slot, reason);
        },
      });
      slot.connection = connection;
      const tools = await connection.open();
      // Stopped (configuration changed, window closed) while it started: this connection is not wanted.
      if (overtaken()) return void (await connection.close());
      this.options.log.info(`MCP server "${name}" (${slot.entry.config.source}) started in ${Math.round(performance.now() - started)} ms: ${tools.length} tool(s)${connection.pid ? `, process ${connection.pid}` : ''}.`);
      this.setState(slot, { kind: 'running', tools });
    } catch (error) {
      if (overtaken()) return;
      slot.connection = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log.error(`MCP server "${name}" ${reason}`);
      this.setState(slot, { kind: 'failed', reason });
      this.options.onFailure(name, `MCP server "${name}" ${reason}`);
    }
  }

  private lost(slot: Slot, reason: string): void {
    const name = slot.entry.config.name;
    slot.connection = undefined;
    const now = Date.now();
    slot.crashes = [...slot.crashes.filter((time) => now - time < RESTART_WINDOW_MS), now];
    if (slot.crashes.length > MAX_RESTARTS) {
      const message = `${reason}; it crashed ${slot.crashes.length} times within a minute and is left stopped`;
      this.options.log.error(`MCP server "${name}": ${message}.`);
      this.setState(slot, { kind: 'failed', reason: message });
      this.options.onFailure(name, `MCP server "${name}": ${message}.`);
      return;
    }
    this.options.log.warn(`MCP server "${name}": ${reason}; restarting it (${slot.crashes.length} of ${MAX_RESTARTS} restarts a minute).`);
    this.options.onFailure(name, `MCP server "${name}": ${reason}; restarted it (${slot.crashes.length} of ${MAX_RESTARTS} restarts a minute).`);
    this.setState(slot, { kind: 'notStarted' });
    void this.start(slot);
  }

  private async stop(slot: Slot): Promise<void> {
    const connection = slot.connection;
    slot.connection = undefined;
    slot.generation += 1;
    if (slot.state.kind !== 'blocked') slot.state = { kind: 'notStarted' };
    if (!connection) return;
    const closed = connection.close();
    this.closing.add(closed);
    await closed.finally(() => this.closing.delete(closed));
  }

  private setState(slot: Slot, state: McpServerState): void {
    slot.state = state;
    if (!this.disposed) this.options.onChange();
  }
}

function sameEntry(a: McpServerEntry, b: McpServerEntry): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function reasonOf(state: McpServerState): string {
  return state.kind === 'failed' || state.kind === 'blocked' ? `: ${state.reason}` : '';
}

/** Waits for `promise`, or rejects once `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
