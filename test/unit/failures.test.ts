import assert from 'node:assert/strict';
import { fixFor, isRejectedInput, ProfileFailure, StepFailure } from '../../src/core/failures';
import { messageOf } from '../../src/core/text/errorMessage';
import { MissingSecretError, TokenRequestError } from '../../src/core/tokens/tokenErrors';

describe('failures: the words and the fix a failure reaches the user with', () => {
  it('offers the action that fixes each kind of token failure', () => {
    const cases: Array<[unknown, string]> = [
      [new TokenRequestError('invalid-credentials', 'wrong secret'), 'Update Credentials'],
      [new TokenRequestError('invalid-grant', 'refresh token revoked'), 'Sign In with Browser'],
      [new TokenRequestError('invalid-scope', 'bad scope'), 'Edit Profile'],
      [new TokenRequestError('insecure-endpoint', 'plain http'), 'Edit Profile'],
      [new TokenRequestError('not-json', 'html page'), 'Edit Profile'],
      [new TokenRequestError('unreachable', 'ECONNREFUSED'), 'Retry'],
      [new TokenRequestError('timeout', 'slow'), 'Retry'],
      [new TokenRequestError('server-error', '502'), 'Retry'],
      [new Error('anything else'), 'Retry'],
      ['a thrown string', 'Retry'],
    ];
    for (const [error, fix] of cases) {
      assert.equal(fixFor(error), fix, messageOf(error));
    }
  });

  it('counts only what the server refused as rejected input (nothing entered with it is saved)', () => {
    assert.equal(isRejectedInput(new TokenRequestError('invalid-credentials', 'x')), true);
    assert.equal(isRejectedInput(new TokenRequestError('unreachable', 'x')), false);
    assert.equal(isRejectedInput(new Error('x')), false);
  });

  it("names the profile and keeps the cause's words and fix", () => {
    const failure = new ProfileFailure('sandbox', new TokenRequestError('invalid-credentials', 'The API key or secret is wrong.'));
    assert.equal(failure.message, 'Fortellis (sandbox): The API key or secret is wrong.');
    assert.equal(failure.fix, 'Update Credentials');
    assert.equal(new ProfileFailure('p', new MissingSecretError({ name: 'p' } as never)).fix, 'Retry');
  });

  it('puts any thrown value in words', () => {
    assert.equal(messageOf(new TypeError('boom')), 'boom');
    assert.equal(messageOf('plain'), 'plain');
    assert.equal(messageOf(undefined), 'undefined');
  });

  it('a failed step is shown with its label and logged with what it was doing', () => {
    const failure = new StepFailure('Call API', 'GET https://api.fortellis.io/x', new Error('socket hang up'));
    assert.equal(failure.message, 'Fortellis Call API: socket hang up');
    assert.equal(failure.logLine, 'Call API: GET https://api.fortellis.io/x failed: socket hang up');
  });
});
