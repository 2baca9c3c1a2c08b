/**
 * Whose webhook format a request speaks and whose API answers it: the one list of providers. The front-end
 * registry (`src/app/providers/provider-registry.ts`), the registry entries' `provider`, the outbound senders and
 * the HTTP acknowledgements (`src/http/outcome-response.ts`) are all keyed by it, so the compiler names every place
 * a new provider must fill in.
 */
export type Provider = 'twilio' | 'mailgun' | 'ses' | 'meta';
