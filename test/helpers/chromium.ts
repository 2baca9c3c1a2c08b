import { accessSync, constants } from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`), never a downloaded browser; CHROMIUM_PATH points elsewhere. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_INSTALL_HINT = `npm run test:browser needs Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`;

export function chromiumIsRunnable(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Flags keep the browser off the network.
export const CHROMIUM_LAUNCH = {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
