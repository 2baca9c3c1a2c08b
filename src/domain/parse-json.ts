import { BadRequestError } from './errors.js';

/** JSON.parse of untrusted (already bounded) text; a syntax error becomes a 400 with `notJson` as its message. */
export function parseJson(text: string, notJson: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError(notJson);
  }
}
