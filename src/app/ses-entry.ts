/**
 * Everything the SNS branch of `POST /email` needs, from one module. Measured (bench/email/import-time.ts,
 * 2026-11-29): loading it with a dynamic `import()` gains nothing in the one-file Lambda bundle (cold import 184 ms
 * vs 179 ms eager, 141 ms without it): the cost is parsing the bytes, which esbuild keeps in the same file.
 */
export { createSesDependencies } from '../adapters/ses/create-ses-dependencies.js';
export { normaliseSesEmail, sesRegistryCandidates } from '../domain/ses-message.js';
export { handleSubscriptionMessage, readSesNotification, verifySnsDelivery } from './ses-inbound.js';
