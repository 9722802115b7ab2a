import * as assert from 'node:assert/strict';
import { abortedError, ApiError, errorFromNetwork, errorFromResponse } from '../../src/api/errors';
import { missingApiKeyError } from '../../src/chat/errorPresentation';
import { lmFailure } from '../../src/lm/errorMapping';
import { providerErrors, type ProviderErrorCode } from '../fixtures/transcripts';

function fromProvider(code: ProviderErrorCode): ApiError {
  const row = providerErrors[code];
  return errorFromResponse(row.status, JSON.stringify({ error: { code, message: row.message, type: row.type } }), undefined);
}

describe('language model provider: our errors as LanguageModelErrors', () => {
  it('no key: NoPermissions, saying how to set one', () => {
    const { kind, message } = lmFailure(missingApiKeyError());
    assert.equal(kind, 'NoPermissions');
    assert.match(message, /^Sonnet Chat: No API key\. /);
    assert.match(message, /Run "Sonnet: Set API Key" to set one\.$/);
  });

  const cases: Array<[ProviderErrorCode, string, RegExp]> = [
    ['invalid_api_key', 'NoPermissions', /^Sonnet Chat: API key rejected\. Invalid API key\. Run "Sonnet: Set API Key"/],
    ['ip_not_allowed', 'NoPermissions', /Not allowed from here/],
    ['insufficient_credits', 'Blocked', /^Sonnet Chat: Not enough credits\. Your credit balance is too low\. Please top up\. Top up the account in the provider's dashboard\.$/],
    ['spend_limit_exceeded', 'Blocked', /Spend limit reached/],
    ['model_not_found', 'NotFound', /Model not found.*Check the sonnet\.model setting\.$/],
    ['rate_limit_exceeded', 'Other', /^Sonnet Chat: Rate limited\. Too many requests, slow down\.$/],
    ['invalid_request', 'Other', /^Sonnet Chat: Request rejected\. 'model' is required\./],
    ['upstream_error', 'Other', /Upstream provider failed/],
  ];
  for (const [code, kind, message] of cases) {
    it(`${code}: ${kind}`, () => {
      const failure = lmFailure(fromProvider(code));
      assert.equal(failure.kind, kind);
      assert.match(failure.message, message);
    });
  }

  it('network failures and anything else: a plain error with our wording', () => {
    const network = lmFailure(errorFromNetwork(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), '127.0.0.1:9'));
    assert.deepEqual(network, { kind: 'Other', message: 'Sonnet Chat: Cannot reach the server. Could not reach 127.0.0.1:9: the connection was refused. Check the sonnet.baseUrl setting.' });
    assert.equal(lmFailure(abortedError()).kind, 'Other');
    assert.deepEqual(lmFailure(new TypeError('boom')), { kind: 'Other', message: 'Sonnet Chat: Something went wrong. boom' });
  });
});
