import { describe, expect, it } from 'vitest';
import { checkMetaVerification } from '../../src/domain/meta-verification.js';

const TOKEN = 'demo-verify-token';
const valid = { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' };

describe('checkMetaVerification: the subscription GET, one thing broken per test', () => {
  it('answers the bare challenge for subscribe with the right token', () => {
    expect(checkMetaVerification(valid, TOKEN)).toEqual({ accepted: true, challenge: '1158201444' });
  });

  it('refuses a wrong token, including a prefix of the right one', () => {
    expect(checkMetaVerification({ ...valid, 'hub.verify_token': 'wrong' }, TOKEN)).toEqual({
      accepted: false,
    });
    expect(checkMetaVerification({ ...valid, 'hub.verify_token': TOKEN.slice(0, -1) }, TOKEN).accepted).toBe(
      false,
    );
  });

  it('refuses another mode, or none', () => {
    expect(checkMetaVerification({ ...valid, 'hub.mode': 'unsubscribe' }, TOKEN).accepted).toBe(false);
    expect(checkMetaVerification({ ...valid, 'hub.mode': undefined }, TOKEN).accepted).toBe(false);
  });

  it('refuses a missing token or challenge', () => {
    expect(checkMetaVerification({ ...valid, 'hub.verify_token': undefined }, TOKEN).accepted).toBe(false);
    expect(checkMetaVerification({ ...valid, 'hub.challenge': undefined }, TOKEN).accepted).toBe(false);
    expect(checkMetaVerification({ ...valid, 'hub.challenge': '' }, TOKEN).accepted).toBe(false);
  });

  it('refuses everything when no verify token is configured (an empty token would match an empty one)', () => {
    expect(checkMetaVerification({ ...valid, 'hub.verify_token': '' }, '').accepted).toBe(false);
  });

  it('refuses a challenge that is not printable ASCII or is too long (it is echoed back)', () => {
    expect(checkMetaVerification({ ...valid, 'hub.challenge': '<script>x</script> ' }, TOKEN).accepted).toBe(
      false,
    );
    expect(checkMetaVerification({ ...valid, 'hub.challenge': 'a\r\nSet-Cookie: x' }, TOKEN).accepted).toBe(
      false,
    );
    expect(checkMetaVerification({ ...valid, 'hub.challenge': '9'.repeat(257) }, TOKEN).accepted).toBe(false);
  });
});
