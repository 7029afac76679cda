/** The MilvusError a promise rejects with; fails the test when it resolves or rejects with anything else. */
import assert from 'node:assert/strict';
import { MilvusError } from '../../src/core/errors.js';

export async function refusal(p: Promise<unknown>): Promise<MilvusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MilvusError, `a MilvusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}
