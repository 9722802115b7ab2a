import * as assert from 'node:assert/strict';
import { externalUrl } from '../../src/shared/externalUrl';
import { insertionText } from '../../src/shared/insertionText';

describe('externalUrl (links clicked in the Chat view)', () => {
  it('opens absolute http and https URLs', () => {
    assert.equal(externalUrl('https://example.com/a?b=c#d'), 'https://example.com/a?b=c#d');
    assert.equal(externalUrl('HTTP://Example.com'), 'http://example.com/');
    assert.equal(externalUrl('  https://example.com/x  '), 'https://example.com/x');
  });

  it('refuses every other scheme, relative URLs and garbage', () => {
    for (const href of [
      'mailto:someone@example.com',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'command:workbench.action.terminal.new',
      'vscode://settings',
      'vscode-webview://abc/index.html',
      '/relative/path',
      '//example.com',
      '#fragment',
      '',
      'http//missing-colon',
    ]) {
      assert.equal(externalUrl(href), undefined, JSON.stringify(href));
    }
  });
});

describe('insertionText (Insert at Cursor)', () => {
  const code = 'if (x) {\n  y();\n\n}';

  it('indents later lines like the cursor when it sits in the indentation', () => {
    assert.equal(insertionText(code, '    '), 'if (x) {\n      y();\n\n    }');
    assert.equal(insertionText(code, '\t'), 'if (x) {\n\t  y();\n\n\t}');
  });

  it('leaves the code as it is at the start of a line or after other text', () => {
    assert.equal(insertionText(code, ''), code);
    assert.equal(insertionText(code, '  const a = '), code);
  });
});
