import { BadRequestError } from './errors.js';

/**
 * JSON.parse of input from outside; a syntax error becomes a BadRequestError with `message` instead of the parser's
 * own, which quotes the input.
 */
export function parseUntrustedJson(text: string, message: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(message);
  }
}
