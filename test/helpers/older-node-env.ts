import { REQUIRED_NODE_MAJOR } from '../../src/local/node-version.js';

/**
 * On a Node older than the stated one, the AWS SDK's documented switch for its Node-version warning
 * (`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true`, aws-sdk-js-v3 issue 7983), for every test worker and the
 * processes they spawn; our own one-line notice replaces it. On the stated Node nothing is set: there the SDK has
 * nothing to warn about, and a test run shows it.
 */
export function olderNodeEnv(version = process.versions.node): Record<string, string> {
  const major = Number(version.split('.')[0]);
  return major < REQUIRED_NODE_MAJOR ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {};
}
