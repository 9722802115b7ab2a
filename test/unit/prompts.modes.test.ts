import * as assert from 'node:assert/strict';
import { BUILT_IN_SYSTEM_PROMPT, MODE_PROMPTS, notInModeResult, systemPrompt } from '../../src/chat/prompts';

describe('the mode prompts', () => {
  it('Agent adds nothing; Ask and Plan come after the built-in prompt and before the user’s own instructions', () => {
    assert.equal(systemPrompt('', 'agent'), BUILT_IN_SYSTEM_PROMPT);
    for (const mode of ['ask', 'plan'] as const) {
      assert.equal(systemPrompt('', mode), `${BUILT_IN_SYSTEM_PROMPT}\n\n${MODE_PROMPTS[mode]}`);
      const withOwn = systemPrompt('Answer in French.', mode);
      assert.ok(withOwn.startsWith(`${BUILT_IN_SYSTEM_PROMPT}\n\n${MODE_PROMPTS[mode]}\n\n`), withOwn);
      assert.ok(withOwn.endsWith("The user's own instructions (setting sonnet.systemPrompt):\n\nAnswer in French."), withOwn);
    }
  });

  it('Ask says nothing can be changed and how to switch; Plan asks for a numbered plan and names Run this plan', () => {
    assert.match(MODE_PROMPTS.ask!, /Ask mode.*cannot change anything \(no edits, no new files, no commands\)/);
    assert.match(MODE_PROMPTS.ask!, /switch to Agent mode with the mode picker/);
    assert.match(MODE_PROMPTS.plan!, /Plan mode: do not change anything/);
    assert.match(MODE_PROMPTS.plan!, /numbered plan/);
    assert.match(MODE_PROMPTS.plan!, /"Run this plan"/);
  });

  it('a refused call names the tool, the mode and the way out', () => {
    assert.equal(
      notInModeResult('run_command', 'plan'),
      'Not run: run_command changes the workspace, and this conversation is in Plan mode, which cannot change anything. The user can switch to Agent mode with the mode picker under the chat input.',
    );
  });
});
