/** `npm start`: the local composition root. */
import { banner } from './banner.js';
import { withInspector } from './inspector/with-inspector.js';
import { loadLocalOptions } from './local-config.js';
import { startLocalStack } from './local-stack.js';

// The AWS SDK's "Node 20 support ends" notice (read when the first client is built) would precede the banner.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const options = loadLocalOptions(process.env);
const stack = await startLocalStack(withInspector(options)).catch((error: unknown) => {
  console.error(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
console.log(
  banner(stack, {
    seeded: options.seedDemo ?? true,
    externalDynamodb: options.dynamodbEndpoint !== undefined,
  }),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
