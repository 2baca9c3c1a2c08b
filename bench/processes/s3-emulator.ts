/** Child process: the embedded S3 emulator, apart from the process whose memory is measured. */
import { startS3Emulator } from '../../src/local/emulators.js';
import { serveChild } from '../lib/child.js';

const emulator = await startS3Emulator(0);
serveChild({ endpoint: emulator.endpoint }, {}, () => emulator.stop());
