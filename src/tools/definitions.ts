/**
 * The editor tools as the model sees them: names, descriptions and input schemas. The same schemas
 * validate the model's input and are declared to VS Code in `package.json` (`languageModelTools`),
 * where a unit test keeps the two identical.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { ToolDefinition } from '../api/types';
import type { ObjectSchema } from './schema';

/** A tool as declared below, before its name is known to be one of ours. */
interface DeclaredTool {
  name: string;
  description: string;
  inputSchema: ObjectSchema;
  changesFiles: boolean;
}

export interface ToolSpec extends DeclaredTool {
  name: ToolName;
  /** For the model: what the tool does and when to use it. */
  description: string;
  inputSchema: ObjectSchema;
  /** Changing tools show the change as a diff and wait for the user's approval. */
  changesFiles: boolean;
}

const PATH_NOTE = 'Paths are relative to the workspace folder (in a multi-root workspace, start with the folder name).';
const NO_GIT_NOTE = "Files in Git's .git folder, by their path or through a symbolic link, cannot be written.";

const path = (description: string) => ({ type: 'string', description }) as const;
const line = (description: string) => ({ type: 'integer', minimum: 1, description }) as const;

const DECLARED = [
  {
    name: 'read_file',
    description:
      `Read a text file of the workspace, with line numbers. ${PATH_NOTE} Large files are cut off with a note; ` +
      'read further with startLine/endLine. Unsaved changes in open editors are included.',
    inputSchema: {
      type: 'object',
      properties: {
        path: path('Workspace-relative path of the file, e.g. src/app.ts.'),
        startLine: line('First line to read (1-based). Default: 1.'),
        endLine: line('Last line to read (1-based, inclusive). Default: the end of the file.'),
      },
      required: ['path'],
      additionalProperties: false,
    },
    changesFiles: false,
  },
  {
    name: 'list_directory',
    description: `List the files and folders in a directory of the workspace (folders end with /). ${PATH_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: { path: path('Workspace-relative path of the directory. Default: the workspace root.') },
      additionalProperties: false,
    },
    changesFiles: false,
  },
  {
    name: 'find_files',
    description:
      'Find files of the workspace by glob pattern. The pattern matches the whole path below the workspace folder, as ' +
      "VS Code's globs do: **/*.test.ts at any depth, src/**/index.* below src, *.ts at the top level only. In a " +
      'multi-root workspace paths start with the folder name, and a pattern that does (frontend/src/**) looks in that ' +
      "folder only. Left out: what the files.exclude and search.exclude settings exclude, and what the folder's " +
      '.gitignore and .ignore files ignore (unless search.useIgnoreFiles is off; ignore files above the folder and ' +
      "git's global excludes file only when search.useParentIgnoreFiles or search.useGlobalIgnoreFiles is on). Binary " +
      'and large files are listed like any other. Symbolic links are not followed.',
    inputSchema: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob matched against the path below the workspace folder: **/*.ts at any depth, *.ts at the top level only.' },
        maxResults: { type: 'integer', minimum: 1, maximum: 1000, description: 'Most paths to return. Default: 200.' },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
    changesFiles: false,
  },
  {
    name: 'search_text',
    description:
      'Search the text of the workspace files for a string or a regular expression; returns matching lines as ' +
      "path:line: text. Regular expressions use ripgrep's syntax (Rust regex: no look-around or back-references, which " +
      'are refused with an error). Searches the files find_files lists (the same exclusions, and include matched as its ' +
      'pattern), except binary files, files over 1 MB and files that may hold secrets (counted in a note); symbolic ' +
      'links are not followed.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'The text to find, or a regular expression (ripgrep/Rust syntax) when isRegex is true.' },
        isRegex: { type: 'boolean', description: 'Treat query as a regular expression. Default: false.' },
        caseSensitive: { type: 'boolean', description: 'Match case. Default: false.' },
        include: { type: 'string', description: 'Glob limiting the files searched, matched as find_files matches its pattern: src/**/*.ts, or *.md for top-level files only. Default: all files.' },
        maxResults: { type: 'integer', minimum: 1, maximum: 500, description: 'Most matching lines to return. Default: 100.' },
      },
      required: ['query'],
      additionalProperties: false,
    },
    changesFiles: false,
  },
  {
    name: 'get_diagnostics',
    description: "The errors and warnings VS Code's language tools report (compiler, linter), for one file or the whole workspace.",
    inputSchema: {
      type: 'object',
      properties: {
        path: path('Workspace-relative path of a file. Default: every file of the workspace.'),
        severity: { type: 'string', enum: ['error', 'warning', 'all'], description: 'Which to report: errors only, errors and warnings, or all. Default: warning.' },
      },
      additionalProperties: false,
    },
    changesFiles: false,
  },
  {
    name: 'get_selection',
    description: "The active editor's file, language, cursor position and selected text, i.e. what the user is looking at.",
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    changesFiles: false,
  },
  {
    name: 'edit_file',
    description:
      `Change an existing file of the workspace. ${PATH_NOTE} Either replace oldText, which must occur exactly once ` +
      '(include enough surrounding lines to make it unique), or replace the lines startLine..endLine. The user sees ' +
      `a diff and accepts or rejects it; read the file first so the text matches. ${NO_GIT_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: {
        path: path('Workspace-relative path of the file to change.'),
        oldText: { type: 'string', description: 'The exact text to replace, whitespace included. Leave out when giving a line range.' },
        startLine: line('First line to replace (1-based), instead of oldText.'),
        endLine: line('Last line to replace (1-based, inclusive), with startLine.'),
        newText: { type: 'string', description: 'The replacement text.' },
      },
      required: ['path', 'newText'],
      additionalProperties: false,
    },
    changesFiles: true,
  },
  {
    name: 'create_file',
    description: `Create a new file in the workspace with the given content (missing folders are created). ${PATH_NOTE} Fails if the file exists; change existing files with edit_file. The user sees the new file and accepts or rejects it. ${NO_GIT_NOTE}`,
    inputSchema: {
      type: 'object',
      properties: {
        path: path('Workspace-relative path of the new file.'),
        content: { type: 'string', description: 'The whole content of the file.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
    changesFiles: true,
  },
  {
    name: 'run_command',
    description:
      'Run a shell command line in the workspace, in a VS Code terminal named "Sonnet" that the user watches, and get ' +
      'its exit code, duration and output (escape sequences removed; long output keeps its first and last lines). The ' +
      'user approves each command unless their rules allow it. It runs non-interactively: nothing can be typed into it. ' +
      'A command still running at the timeout goes on in the terminal and you get its output so far; start servers and ' +
      'watchers with background: true to get their first output after a few seconds.',
    inputSchema: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command line, as typed into the shell, e.g. npm test.' },
        cwd: path('Workspace-relative folder to run it in. Default: the workspace root (the first folder in a multi-root workspace).'),
        timeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600, description: 'Longest wait for it to finish. Default: the sonnet.tools.commandTimeoutSeconds setting (120).' },
        background: { type: 'boolean', description: 'For a server or watcher that does not exit: return after a few seconds with its first output, leaving it running. Default: false.' },
      },
      required: ['command'],
      additionalProperties: false,
    },
    changesFiles: true,
  },
] as const satisfies readonly DeclaredTool[];

export type ToolName = (typeof DECLARED)[number]['name'];

/**
 * The input a tool's handler gets, derived from its schema (types only): a handler that reads a field
 * the schema does not declare, or with another type, does not compile.
 */
export type ToolInput<N extends ToolName> = FromSchema<Extract<(typeof DECLARED)[number], { name: N }>['inputSchema']>;

export const TOOL_SPECS: readonly ToolSpec[] = DECLARED;

/** A tool as a request declares it. */
export function toolDefinition(spec: ToolSpec): ToolDefinition {
  return { name: spec.name, description: spec.description, input_schema: { ...spec.inputSchema } };
}

/** One line for the tool card naming what a call acts on, e.g. `src/app.ts, lines 1–40`. */
export function summarizeCall(name: string, input: unknown): string {
  const args = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const text = (key: string) => {
    const value = args[key];
    return typeof value === 'string' ? value : undefined;
  };
  const num = (key: string) => {
    const value = args[key];
    return typeof value === 'number' ? value : undefined;
  };
  const lines = (start = num('startLine'), end = num('endLine')) =>
    start === undefined && end === undefined ? '' : end === undefined ? `, from line ${start}` : `, lines ${start ?? 1}–${end}`;
  switch (name) {
    case 'read_file':
    case 'edit_file':
      return `${text('path') ?? '?'}${lines()}`;
    case 'create_file':
      return text('path') ?? '?';
    case 'list_directory':
      return text('path') || '.';
    case 'find_files':
      return text('pattern') ?? '?';
    case 'search_text': {
      const include = text('include');
      return `${JSON.stringify(text('query') ?? '')}${include ? ` in ${include}` : ''}`;
    }
    case 'get_diagnostics':
      return text('path') ?? 'the workspace';
    case 'get_selection':
      return 'the active editor';
    case 'run_command': {
      const cwd = text('cwd');
      return `${text('command') ?? '?'}${cwd ? ` in ${cwd}` : ''}`;
    }
    default:
      return '';
  }
}
