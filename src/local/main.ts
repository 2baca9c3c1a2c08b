/** `npm start`: the local composition root. */
import { banner } from './banner.js';
import { withInspector } from './inspector/with-inspector.js';
import { loadLocalOptions } from './local-config.js';
import { asPortInUse, localPortsOf } from './local-ports.js';
import { startLocalStack } from './local-stack.js';
import { nodeVersionNotice } from './node-version.js';

// The AWS SDK's "Node 20 support ends" notice (read when the first client is built) would precede the banner.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Start-up failures are one line that says what to change, never a stack trace. */
function fail(error: unknown): never {
  console.error(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

let options: ReturnType<typeof loadLocalOptions>;
try {
  options = loadLocalOptions(process.env);
} catch (error) {
  fail(error);
}
const ports = localPortsOf(options);
// Some emulators report a port taken after the check as an unhandled 'error' event rather than a rejection.
const onStartCrash = (error: unknown) => fail(asPortInUse(error, ports) ?? error);
process.on('uncaughtException', onStartCrash);
const stack = await startLocalStack(withInspector(options)).catch(fail);
process.off('uncaughtException', onStartCrash);
console.log(
  banner(stack, {
    seeded: options.seedDemo ?? true,
    externalDynamodb: options.dynamodbEndpoint !== undefined,
  }),
);
const notice = nodeVersionNotice(process.versions.node);
if (notice) console.log(`\n${notice}`);

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
