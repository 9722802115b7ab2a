// Our read-only tools as VS Code's agent and other extensions get them (the Language Model Tools
// API): read_file on an image gives them the image as a data part after the text, not the text alone.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedFakeVscode } from '../fixtures/fakeVscode';
import { useToolWorkspace } from './toolWorkspace';

describe('our tools through the Language Model Tools API', () => {
  const vscode = sharedFakeVscode().api;
  const ws = useToolWorkspace('sonnet-lm-tools-', async () => {
    const { readFile } = await import('../../src/tools/vscode/readTools');
    return [readFile];
  });
  const png = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'images', 'wide.png'));

  before(() => {
    fs.mkdirSync(path.join(ws.root, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'docs', 'shot.png'), png);
    fs.writeFileSync(path.join(ws.root, 'notes.txt'), 'hello\n');
  });

  async function invoke(input: unknown): Promise<unknown[]> {
    const { languageModelTools } = await import('../../src/tools/vscode/languageModelTools');
    const tool = languageModelTools(ws.registry).get('sonnet_read_file');
    assert.ok(tool);
    const token = new vscode.CancellationTokenSource().token;
    const result = (await tool.invoke({ input, toolInvocationToken: undefined }, token)) as { content: unknown[] };
    return result.content;
  }

  it('read_file on an image returns its text and the image as a data part with its bytes and type', async () => {
    const content = await invoke({ path: 'docs/shot.png' });
    assert.equal(content.length, 2);
    const [text, image] = content;
    assert.ok(text instanceof vscode.LanguageModelTextPart);
    assert.match((text as { value: string }).value, /^Image docs\/shot\.png, 40x30 PNG/);
    assert.ok(image instanceof vscode.LanguageModelDataPart);
    assert.equal((image as { mimeType: string }).mimeType, 'image/png');
    assert.deepEqual(Buffer.from((image as { data: Uint8Array }).data), png);
  });

  it('read_file on text returns the text alone', async () => {
    const content = await invoke({ path: 'notes.txt' });
    assert.equal(content.length, 1);
    assert.ok(content[0] instanceof vscode.LanguageModelTextPart);
    assert.match((content[0] as { value: string }).value, /hello/);
  });
});
