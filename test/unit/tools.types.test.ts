/**
 * Compile-time checks, run by `npm run typecheck`: a tool handler's input type is its schema's. Each
 * `@ts-expect-error` fails the type check if the line below it ever compiles; the runtime test only
 * keeps mocha's count honest about what this file is.
 */
import * as assert from 'node:assert/strict';
import type { ToolInput } from '../../src/tools/definitions';
import type { ToolHandler } from '../../src/tools/registry';
import { done } from '../../src/tools/types';

const agrees: ToolHandler<'read_file'> = {
  name: 'read_file',
  run: async (input) => done(`${input.path} ${input.startLine ?? 1}-${input.endLine ?? 'end'}`),
};

const readsAFieldTheSchemaLacks: ToolHandler<'read_file'> = {
  name: 'read_file',
  // @ts-expect-error `file` is not in read_file's schema
  run: async (input) => done(input.file),
};

const wantsAnotherType: ToolHandler<'find_files'> = {
  name: 'find_files',
  // @ts-expect-error maxResults is an integer in the schema, not a string
  run: async (input: { pattern: string; maxResults?: string }) => done(input.pattern),
};

// @ts-expect-error a required field of the schema cannot be left out
const missingRequired: ToolInput<'edit_file'> = { path: 'a.ts' };

// @ts-expect-error an enum field takes only its values
const wrongEnum: ToolInput<'get_diagnostics'> = { severity: 'fatal' };

describe('tool handler input types', () => {
  it('come from the tool schemas (checked by the type check; see the @ts-expect-error lines)', () => {
    assert.deepEqual([agrees, readsAFieldTheSchemaLacks, wantsAnotherType].map((handler) => handler.name), ['read_file', 'read_file', 'find_files']);
    assert.deepEqual([missingRequired, wrongEnum].length, 2);
  });
});
