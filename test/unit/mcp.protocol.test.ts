import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/shared/protocol';

describe('MCP notices: the view asks for a restart', () => {
  it('accepts Restart for a server by name, and nothing malformed', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'restartMcpServer', server: 'files' }), { type: 'restartMcpServer', server: 'files' });
    assert.equal(parseWebviewMessage({ type: 'restartMcpServer', server: 42 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'restartMcpServer' }), undefined);
  });
});
