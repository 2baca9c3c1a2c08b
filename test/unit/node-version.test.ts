import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionNotice, REQUIRED_NODE_MAJOR } from '../../src/local/node-version.js';
import { olderNodeEnv } from '../helpers/older-node-env.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('Node 22 is the stated requirement', () => {
  it('package.json engines, .nvmrc and the README agree on it', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };

    expect(REQUIRED_NODE_MAJOR).toBe(22);
    expect(pkg.engines.node).toBe('>=22');
    expect(read('.nvmrc').trim()).toBe('22');
    expect(read('README.md')).toContain('Node.js 22');
  });

  it('an older Node is never refused: npm is told not to be engine-strict', () => {
    expect(read('.npmrc')).toMatch(/^engine-strict=false$/m);
  });

  it('an older Node gets one short line; Node 22 and later none', () => {
    const notice = nodeVersionNotice('20.20.2') ?? '';

    expect(notice).toContain('Node 20.20.2; this project states Node 22');
    expect(notice.split('\n')).toHaveLength(1);
    expect(nodeVersionNotice('v22.12.0')).toBeUndefined();
    expect(nodeVersionNotice('24.1.0')).toBeUndefined();
  });

  it("the SDK's own warning is switched off only on an older Node (on 22 there is nothing to switch off)", () => {
    expect(olderNodeEnv('20.20.2')).toEqual({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    expect(olderNodeEnv('22.12.0')).toEqual({});
  });
});
