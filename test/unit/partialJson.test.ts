import * as assert from 'node:assert/strict';
import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';
import { parsePartialJson } from '../../src/api/partialJson';

/** The SDK's reading of `text`, or undefined where it throws (text that is not cut-off JSON). */
function sdkReading(text: string): unknown {
  try {
    return partialParse(text);
  } catch {
    return undefined;
  }
}

const DOCUMENTS = [
  { path: 'src/a.ts', range: { start: 1, end: 20 }, tags: ['x', null, true, false] },
  { text: 'quote " backslash \\ newline \n tab \t unicode 漢字 👋🏽 \u0001', empty: '', nested: [[[]], {}] },
  { numbers: [0, -0.5, 12.25, 1e21, -3e-7, 6.02e23], deep: { a: { b: { c: [1, { d: 'e' }] } } } },
  ['top', 'level', 'array', 42, { key: 'value' }],
];

describe('partial JSON, read as the official SDK reads it', () => {
  for (const document of DOCUMENTS) {
    for (const text of [JSON.stringify(document), JSON.stringify(document, null, 2)]) {
      it(`agrees on every prefix of ${text.slice(0, 40).replace(/\s+/g, ' ')}…`, () => {
        for (let end = 0; end <= text.length; end++) {
          const prefix = text.slice(0, end);
          assert.deepEqual(parsePartialJson(prefix), sdkReading(prefix), `prefix ${JSON.stringify(prefix)}`);
        }
      });
    }
  }

  it('keeps the complete values and drops only the unfinished one', () => {
    assert.deepEqual(parsePartialJson('{"path":"src/a.ts","content":"hel'), { path: 'src/a.ts' });
    assert.deepEqual(parsePartialJson('{"path":"src/a.ts","line":12'), { path: 'src/a.ts' }, 'a number at the end may go on');
    assert.deepEqual(parsePartialJson('{"path":"src/a.ts","strict":tr'), { path: 'src/a.ts' });
    assert.deepEqual(parsePartialJson('{"list":[1,2,"thr'), { list: [1, 2] });
  });

  it('refuses what is not cut-off JSON, as the SDK does', () => {
    for (const text of ['{"a":1}}', '{"a":tru e}', '{"a" "b"}', '{"a":1]', 'hello', '{"a":undefined}', '{"a":12 3}']) {
      assert.equal(parsePartialJson(text), undefined, text);
      assert.equal(sdkReading(text), undefined, `the SDK also refuses ${text}`);
    }
  });
});
