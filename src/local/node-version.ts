/** The Node.js major the project states (package.json `engines`, `.nvmrc`) and Lambda runs (nodejs22.x). */
export const REQUIRED_NODE_MAJOR = 22;

/**
 * One short line when this Node is older than the stated one; undefined otherwise. A notice, never a refusal:
 * the stack and the tests still run on Node 20 (machines whose system Node is 20 run the checks).
 *
 * @example
 * nodeVersionNotice('20.20.2'); // "note: Node 20.20.2; this project states Node 22 …"
 */
export function nodeVersionNotice(version: string): string | undefined {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (!Number.isInteger(major) || major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `note: Node ${version.replace(/^v/, '')}; this project states Node ${REQUIRED_NODE_MAJOR} (.nvmrc, as Lambda ` +
    `runs). Everything still runs here; \`nvm use\` switches.`
  );
}
