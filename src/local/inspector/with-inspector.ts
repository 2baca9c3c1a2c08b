import type { LocalStackOptions } from '../local-stack.js';
import { ExchangeLog } from './exchange-log.js';
import { inspectorPage } from './inspector-page.js';
import { inspectorRoutes } from './inspector-routes.js';

/**
 * Adds the inspector to a local stack's options: it records every exchange and outcome and serves `/_local/`.
 * `npm start` and the browser test both start the stack through this, so the test sees what users see.
 * Observers and routes already in `options` keep working.
 *
 * @example
 * const stack = await startLocalStack(withInspector(loadLocalOptions(process.env)));
 */
export function withInspector(options: LocalStackOptions, log = new ExchangeLog()): LocalStackOptions {
  // Read once at start: a missing asset fails `npm start`, not the first page view.
  const routes = inspectorRoutes(log, inspectorPage(), new Map());
  const { observe, onExchange, localRoutes } = options;
  return {
    ...options,
    observe: (requestId, outcome) => {
      log.observe(requestId, outcome);
      observe?.(requestId, outcome);
    },
    onExchange: (exchange) => {
      log.record(exchange);
      onExchange?.(exchange);
    },
    localRoutes: (stack) => async (req, res, url, body) =>
      (await routes(stack)(req, res, url, body)) ||
      (localRoutes ? localRoutes(stack)(req, res, url, body) : false),
  };
}
