import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApprovalBroker } from '../../src/tools/approvals';
import { summarizeCall, TOOL_SPECS } from '../../src/tools/definitions';
import { looksBinary, numberedLines } from '../../src/tools/format';
import { readableStart } from '../../src/shared/readableCut';
import { ToolRegistry } from '../../src/tools/registry';
import { validate, type ObjectSchema } from '../../src/tools/schema';
import { normalizeToolSettings } from '../../src/tools/settings';
import { planEdit } from '../../src/tools/textEdit';
import { buildMatcher, matchingLines } from '../../src/tools/textSearch';
import { done, ToolError } from '../../src/tools/types';

const spec = (name: string) => TOOL_SPECS.find((candidate) => candidate.name === name)!.inputSchema;

describe('tool input validation', () => {
  it('accepts input that matches the schema', () => {
    assert.deepEqual(validate(spec('read_file'), { path: 'a.ts', startLine: 1, endLine: 20 }), []);
    assert.deepEqual(validate(spec('get_selection'), {}), []);
    assert.deepEqual(validate(spec('get_diagnostics'), { severity: 'error' }), []);
  });

  it('says what is wrong, one sentence a problem', () => {
    assert.deepEqual(validate(spec('read_file'), {}), ['`path` is required.']);
    assert.deepEqual(validate(spec('read_file'), { path: 7 }), ['`path` must be a string, not 7.']);
    assert.deepEqual(validate(spec('read_file'), { path: 'a', startLine: 0 }), ['`startLine` must be at least 1, not 0.']);
    assert.deepEqual(validate(spec('read_file'), { path: 'a', startLine: 1.5 }), ['`startLine` must be a whole number, not 1.5.']);
    assert.deepEqual(validate(spec('read_file'), { path: 'a', startLine: '3' }), ['`startLine` must be a whole number, not the string "3".']);
    assert.deepEqual(validate(spec('read_file'), { path: 'a', endLine: null }), ['`endLine` must be a whole number, not null.']);
    assert.deepEqual(validate(spec('get_diagnostics'), { severity: 'fatal' }), ['`severity` must be one of "error", "warning", "all", not "fatal".']);
    assert.deepEqual(validate(spec('search_text'), { query: 'x', isRegex: 'yes' }), ['`isRegex` must be true or false, not the string "yes".']);
    assert.deepEqual(validate(spec('find_files'), { pattern: '*', maxResults: 5000 }), ['`maxResults` must be at most 1000, not 5000.']);
    assert.deepEqual(validate(spec('get_selection'), { file: 'a' }), ['`file` is not a parameter of this tool.']);
    assert.match(validate(spec('read_file'), { path: 'a', lines: '1-3' })[0], /`lines` is not a parameter of this tool \(it takes `path`, `startLine`, `endLine`\)/);
    assert.deepEqual(validate(spec('read_file'), []), ['the input must be an object, not an array.']);
    assert.deepEqual(validate(spec('read_file'), 'a.ts'), ['the input must be an object, not the string "a.ts".']);
  });

  it('checks arrays item by item, and ignores inherited names', () => {
    const schema: ObjectSchema = { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } }, additionalProperties: false };
    assert.deepEqual(validate(schema, { tags: ['a', 2] }), ['`tags`[1] must be a string, not 2.']);
    assert.deepEqual(validate(schema, JSON.parse('{"toString": 1}')), ['`toString` is not a parameter of this tool (it takes `tags`).']);
  });

  it('declares to VS Code exactly the schemas it validates with (package.json languageModelTools)', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const declared = manifest.contributes.languageModelTools as Array<{ name: string; inputSchema: unknown; modelDescription: string }>;
    const readOnly = TOOL_SPECS.filter((candidate) => !candidate.changesFiles);
    assert.deepEqual(declared.map((tool) => tool.name), readOnly.map((candidate) => `sonnet_${candidate.name}`));
    for (const tool of declared) {
      const own = readOnly.find((candidate) => `sonnet_${candidate.name}` === tool.name)!;
      assert.deepEqual(tool.inputSchema, own.inputSchema, tool.name);
      assert.equal(tool.modelDescription, own.description, tool.name);
    }
    const enabled = manifest.contributes.configuration.properties['sonnet.tools.enabled'];
    assert.deepEqual(Object.keys(enabled.properties), TOOL_SPECS.map((candidate) => candidate.name));
  });
});

describe('edit_file text work', () => {
  const text = 'one\ntwo\nthree\ntwo\n';

  it('replaces unique text and reports the lines it touched', () => {
    const plan = planEdit(text, { oldText: 'three', newText: 'THREE' }, 'a.txt');
    assert.ok(plan.ok);
    assert.equal(plan.edit.proposed, 'one\ntwo\nTHREE\ntwo\n');
    assert.deepEqual([plan.edit.start, plan.edit.end, plan.edit.firstLine, plan.edit.lastLine], [8, 13, 3, 3]);
  });

  it('refuses text that is missing or occurs more than once, saying where', () => {
    const missing = planEdit(text, { oldText: 'four', newText: 'x' }, 'a.txt');
    assert.ok(!missing.ok);
    assert.match(missing.error, /not found in a\.txt/);
    const twice = planEdit(text, { oldText: 'two', newText: 'x' }, 'a.txt');
    assert.ok(!twice.ok);
    assert.match(twice.error, /occurs 2 times in a\.txt \(lines 2, 4\)/);
  });

  it('replaces a line range, keeping the line break after it', () => {
    const plan = planEdit(text, { startLine: 2, endLine: 3, newText: 'middle\n' }, 'a.txt');
    assert.ok(plan.ok);
    assert.equal(plan.edit.proposed, 'one\nmiddle\ntwo\n');
    const last = planEdit('a\nb', { startLine: 2, endLine: 2, newText: 'B' }, 'b.txt');
    assert.ok(last.ok);
    assert.equal(last.edit.proposed, 'a\nB');
  });

  it('checks the range and the choice of oldText or lines', () => {
    assert.match((planEdit(text, { startLine: 3, endLine: 9, newText: '' }, 'a.txt') as { error: string }).error, /has 4 lines; endLine 9/);
    assert.match((planEdit(text, { startLine: 3, endLine: 2, newText: '' }, 'a.txt') as { error: string }).error, /before startLine/);
    assert.match((planEdit(text, { startLine: 3, newText: '' }, 'a.txt') as { error: string }).error, /both startLine and endLine/);
    assert.match((planEdit(text, { oldText: 'one', startLine: 1, endLine: 1, newText: '' }, 'a.txt') as { error: string }).error, /not both/);
    assert.match((planEdit(text, { newText: '' }, 'a.txt') as { error: string }).error, /Say what to replace/);
    assert.match((planEdit(text, { oldText: '', newText: 'x' }, 'a.txt') as { error: string }).error, /empty/);
  });

  it("keeps a CRLF file's line breaks when the model writes LF", () => {
    const plan = planEdit('a\r\nb\r\nc\r\n', { oldText: 'a\nb', newText: 'x\ny' }, 'w.txt');
    assert.ok(plan.ok);
    assert.equal(plan.edit.proposed, 'x\r\ny\r\nc\r\n');
  });
});

describe('tool results', () => {
  it('numbers lines and cuts a long file at a line, saying where to read on', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const cut = numberedLines(text, { path: 'big.txt', maxChars: 200 });
    assert.ok('text' in cut && cut.text);
    const lines = cut.text.split('\n');
    assert.equal(lines[0], 'big.txt, lines 1–14 of 100:');
    assert.equal(lines[1], '  1 | line 1');
    assert.match(lines.at(-1)!, /Cut off after line 14.*startLine 15/);
    const range = numberedLines(text, { path: 'big.txt', startLine: 99, endLine: 200 });
    assert.equal((range as { text: string }).text, 'big.txt, lines 99–100 of 100:\n 99 | line 99\n100 | line 100');
    assert.match((numberedLines(text, { path: 'big.txt', startLine: 101 }) as { error: string }).error, /has 100 lines; startLine 101/);
  });

  it('tells binary from text by NUL bytes', () => {
    assert.equal(looksBinary(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), true);
    assert.equal(looksBinary(new TextEncoder().encode('plain text ✓')), false);
  });

  it('cuts a card result to a screenful at a line break, and says so', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`);
    assert.deepEqual(readableStart(lines.slice(0, 40).join('\n')), { text: lines.slice(0, 40).join('\n'), cut: false, totalLines: 40 });
    assert.deepEqual(readableStart(lines.join('\n')), { text: lines.slice(0, 40).join('\n'), cut: true, totalLines: 100 });
    const wide = ['a'.repeat(3000), 'b'.repeat(3000), 'c'];
    assert.deepEqual(readableStart(wide.join('\n')), { text: wide[0], cut: true, totalLines: 3 });
    assert.deepEqual(readableStart('x'.repeat(5000)), { text: 'x'.repeat(4000), cut: true, totalLines: 1 });
  });

  it('finds matching lines, literally or by regular expression', () => {
    const literal = buildMatcher('a.b', {});
    assert.ok(literal.ok);
    assert.deepEqual(matchingLines('axb\nA.B here\n', literal.regex, 10), [{ line: 2, text: 'A.B here' }]);
    const strict = buildMatcher('a.b', { caseSensitive: true, isRegex: true });
    assert.ok(strict.ok);
    assert.deepEqual(matchingLines('axb\nA.B\n', strict.regex, 10), [{ line: 1, text: 'axb' }]);
    assert.match((buildMatcher('(', { isRegex: true }) as { error: string }).error, /invalid/);
    const long = matchingLines(`${'x'.repeat(500)}needle${'y'.repeat(500)}`, /needle/, 1)[0].text;
    assert.ok(long.includes('needle') && long.length <= 203, long);
  });

  it('names what a call acts on', () => {
    assert.equal(summarizeCall('read_file', { path: 'src/a.ts', startLine: 1, endLine: 40 }), 'src/a.ts, lines 1–40');
    assert.equal(summarizeCall('search_text', { query: 'TODO', include: '**/*.ts' }), '"TODO" in **/*.ts');
    assert.equal(summarizeCall('get_diagnostics', {}), 'the workspace');
    assert.equal(summarizeCall('list_directory', {}), '.');
  });
});

describe('the tool registry', () => {
  const call = (name: string, input: unknown) => ({ type: 'tool_use' as const, id: 'toolu_1', name, input });
  const context = { signal: new AbortController().signal, setStatus: () => {} };
  const registry = (enabled: Record<string, boolean> = {}, approvals = new ApprovalBroker()) =>
    new ToolRegistry(
      [
        {
          name: 'read_file',
          run: async (input: { path: string }) => done(`read ${input.path}`),
          consentNeeded: async (input: { path: string }) => (input.path.startsWith('.env') ? `Read ${input.path}?` : undefined),
        },
        { name: 'get_selection', run: async () => { throw new ToolError('No editor is active.'); } },
        { name: 'list_directory', run: async () => { throw new TypeError('boom'); } },
      ],
      () => normalizeToolSettings({ enabled }),
      approvals,
    );

  it('offers the enabled tools that have a handler, with their schemas', () => {
    assert.deepEqual(registry().definitions().map((d) => d.name), ['read_file', 'list_directory', 'get_selection']);
    assert.deepEqual(registry({ read_file: false }).definitions().map((d) => d.name), ['list_directory', 'get_selection']);
    assert.deepEqual(registry().definitions()[0].input_schema, spec('read_file'));
  });

  it('runs valid calls and turns every failure into a result the model can act on', async () => {
    assert.deepEqual(await registry().run(call('read_file', { path: 'a.ts' }), context), { content: 'read a.ts', status: 'done' });
    assert.deepEqual(await registry().run(call('get_selection', {}), context), { content: 'No editor is active.', status: 'failed' });
    assert.match((await registry().run(call('list_directory', {}), context)).content, /list_directory failed: boom/);
    assert.match((await registry().run(call('read_file', { file: 'a' }), context)).content, /Invalid input for read_file: `path` is required\. `file` is not a parameter/);
    assert.match((await registry().run(call('rm_rf', {}), context)).content, /no tool named "rm_rf"\. Tools you can use: read_file, list_directory, get_selection/);
    assert.match((await registry({ read_file: false }).run(call('read_file', { path: 'a' }), context)).content, /turned off in the settings \(sonnet\.tools\.enabled\)/);
  });

  it('asks for consent where the tool needs it, and runs only when allowed', async () => {
    const approvals = new ApprovalBroker();
    const statuses: string[] = [];
    let answer = true;
    const watched = {
      signal: new AbortController().signal,
      setStatus: (status: string, summary?: string) => {
        statuses.push(`${status}${summary ? `: ${summary}` : ''}`);
        // The registry waits for the answer right after saying it waits.
        if (status === 'awaitingApproval') queueMicrotask(() => approvals.answer('toolu_1', answer));
      },
    };
    const tools = registry({}, approvals);
    assert.deepEqual(await tools.run(call('read_file', { path: '.env' }), watched), { content: 'read .env', status: 'done' });
    assert.deepEqual(statuses, ['awaitingApproval: Read .env?', 'running']);
    answer = false;
    const outcome = await tools.run(call('read_file', { path: '.env' }), watched);
    assert.equal(outcome.status, 'rejected');
    assert.match(outcome.content, /rejected this tool call; nothing was done/);
  });

  it('keeps tools on unless set to false, and edits unapproved unless asked', () => {
    const settings = normalizeToolSettings({ enabled: { edit_file: false, read_file: 'no' }, autoApproveEdits: 'true' });
    assert.equal(settings.enabled.has('edit_file'), false);
    assert.equal(settings.enabled.has('read_file'), true);
    assert.equal(settings.autoApproveEdits, false);
  });
});

describe('approvals', () => {
  it('resolves with the first answer and ignores later ones', async () => {
    const broker = new ApprovalBroker();
    const answer = broker.wait('toolu_1', new AbortController().signal);
    assert.equal(broker.answer('toolu_1', true), true);
    assert.equal(broker.answer('toolu_1', false), false);
    assert.equal(await answer, 'approved');
    assert.equal(broker.answer('toolu_unknown', true), false);
  });

  it('answers cancelled when the turn stops', async () => {
    const broker = new ApprovalBroker();
    const abort = new AbortController();
    const answer = broker.wait('toolu_2', abort.signal);
    abort.abort();
    assert.equal(await answer, 'cancelled');
    assert.equal(broker.answer('toolu_2', true), false, 'nothing waits any more');
    const stoppedAlready = await broker.wait('toolu_3', abort.signal);
    assert.equal(stoppedAlready, 'cancelled');
  });
});
