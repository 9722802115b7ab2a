/**
 * A stand-in for the `vscode` module, enough to build the Chat view's HTML and to run `activate()` in
 * plain Node. Whatever it does not implement answers with a recording stub, so an extension that uses
 * more of the API still activates, and every call it made at activation is listed in `calls`.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
  ) {}

  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath);
  }

  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ''), url.host, decodeURIComponent(url.pathname));
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments));
  }

  get fsPath(): string {
    return this.path;
  }

  with(change: { scheme?: string; authority?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path);
  }

  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}`;
  }
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}

  static from(...disposables: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }

  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/**
 * A value for any API the fake does not model: callable, constructible, with every property (and
 * keeping what is assigned to it), and not a thenable, so awaiting it does not hang. Calls are
 * recorded by their dotted path.
 */
function stub(name: string, calls: string[]): any {
  const assigned = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get(_, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then' || key === 'toJSON') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (typeof key === 'symbol') return undefined;
      if (key === 'dispose') return () => undefined;
      return stub(`${name}.${key}`, calls);
    },
    set(_, key, value) {
      assigned.set(key, value);
      return true;
    },
    apply() {
      calls.push(name);
      return stub(`${name}()`, calls);
    },
    construct() {
      calls.push(`new ${name}`);
      return stub(`${name}#`, calls) as object;
    },
  });
}

/**
 * An object whose listed members are real and whose other members are recording stubs. The stubs
 * come from its prototype, so they also reach a bundler's copy of the module object (esbuild's
 * `__toESM` copies the own members and keeps the prototype).
 */
function partial<T extends object>(name: string, members: T, calls: string[]): T {
  const fallback = new Proxy(
    {},
    {
      get(_, key) {
        if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
        return stub(`${name}.${key}`, calls);
      },
    },
  );
  return Object.setPrototypeOf(members, fallback);
}

/**
 * Memento and SecretStorage in memory, starting with `seeded`. Reads are recorded with their key:
 * in VS Code they may reach the disk or the keychain, and what activation reads tells the bench what
 * a returning user's state holds.
 */
function storage(name: string, calls: string[], seeded: Record<string, unknown>) {
  const values = new Map<string, unknown>(Object.entries(seeded));
  const changed = new EventEmitter<{ key: string }>();
  return partial(
    name,
    {
      get: (key: string, fallback?: unknown) => {
        calls.push(`${name}.get ${key}`);
        return name === 'secrets' ? Promise.resolve(values.get(key) as string | undefined) : (values.get(key) ?? fallback);
      },
      keys: () => [...values.keys()],
      update: async (key: string, value: unknown) => void values.set(key, value),
      store: async (key: string, value: string) => void values.set(key, value),
      delete: async (key: string) => void values.delete(key),
      setKeysForSync: () => undefined,
      onDidChange: changed.event,
    },
    calls,
  );
}

/**
 * The names the real `vscode` module exports, from its type declarations. The real module holds each
 * as its own property, and a bundle may copy the module's own properties (esbuild's `__reExport`), so
 * the fake must hold them too, stubs or not.
 */
function apiNames(): string[] {
  const declarations = require.resolve('@types/vscode/index.d.ts', { paths: [process.cwd(), __dirname] });
  const text = fs.readFileSync(declarations, 'utf8');
  return [...text.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((match) => match[1]);
}

/** `members`, and a recording stub for every other name of the API, each as an own property. */
function wholeApi<T extends object>(members: T, calls: string[]): T {
  for (const name of apiNames()) if (!(name in members)) Object.defineProperty(members, name, { value: stub(`vscode.${name}`, calls), enumerable: true });
  return members;
}

/** The extension's package.json, which VS Code has read before activating it (none: an empty one). */
function readManifest(extensionPath: string): unknown {
  const file = path.join(extensionPath, 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

export interface FakeVscode {
  /** The module's exports. */
  api: any;
  /** Dotted paths of the API calls made so far, in order (stubs and recorded reads). */
  calls: string[];
  /**
   * An `ExtensionContext` for an extension installed at `extensionPath`, with storage under
   * `storagePath` and `state` in its global and workspace state (a returning user's).
   */
  context(extensionPath: string, storagePath: string, state?: Record<string, unknown>): any;
}

export function fakeVscode(): FakeVscode {
  const calls: string[] = [];
  const registration = (what: string) => () => {
    calls.push(what);
    return new Disposable();
  };
  const api = wholeApi(
    {
      Uri,
      Disposable,
      EventEmitter,
      version: '1.101.0',
      workspace: partial(
        'workspace',
        {
          getConfiguration: () => partial('configuration', { get: (_key: string, fallback?: unknown) => fallback, has: () => false, inspect: () => undefined }, calls),
          onDidChangeConfiguration: registration('workspace.onDidChangeConfiguration'),
          workspaceFolders: undefined,
        },
        calls,
      ),
      window: partial(
        'window',
        {
          registerWebviewViewProvider: registration('window.registerWebviewViewProvider'),
          onDidChangeActiveTextEditor: registration('window.onDidChangeActiveTextEditor'),
          onDidChangeTextEditorSelection: registration('window.onDidChangeTextEditorSelection'),
          activeTextEditor: undefined,
        },
        calls,
      ),
      commands: partial(
        'commands',
        {
          registerCommand: registration('commands.registerCommand'),
          executeCommand: async () => undefined,
        },
        calls,
      ),
    },
    calls,
  );
  return {
    api,
    calls,
    context: (extensionPath, storagePath, state = {}) =>
      partial(
        'context',
        {
          subscriptions: [] as Array<{ dispose(): unknown }>,
          extensionUri: Uri.file(extensionPath),
          extensionPath,
          extension: { id: 'sonnet-chat.sonnet-chat', extensionUri: Uri.file(extensionPath), packageJSON: readManifest(extensionPath) },
          globalStorageUri: Uri.file(path.join(storagePath, 'global')),
          storageUri: Uri.file(path.join(storagePath, 'workspace')),
          logUri: Uri.file(path.join(storagePath, 'logs')),
          secrets: storage('secrets', calls, {}),
          globalState: storage('globalState', calls, state),
          workspaceState: storage('workspaceState', calls, state),
          extensionMode: 1,
          asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
        },
        calls,
      ),
  };
}

/** From now on, `require('vscode')` in this process returns `api`. */
export function provideVscodeModule(api: unknown): void {
  const loader = Module as unknown as {
    _resolveFilename(request: string, ...rest: unknown[]): string;
    _cache: Record<string, unknown>;
  };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const module = new Module('vscode');
  module.exports = api;
  module.loaded = true;
  loader._cache['vscode'] = module;
}
