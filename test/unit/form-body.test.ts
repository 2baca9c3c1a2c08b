import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/domain/errors.js';
import { parseFormBody, singleValued } from '../../src/domain/form-body.js';

describe('parseFormBody', () => {
  it('decodes + as space and percent-escapes, keeping every pair in order', () => {
    expect(parseFormBody('Body=It%27s+amazing&From=%2B14155550100&Body=again')).toEqual([
      ['Body', "It's amazing"],
      ['From', '+14155550100'],
      ['Body', 'again'],
    ]);
  });

  it('keeps empty values and keys without "=", and ignores empty segments', () => {
    expect(parseFormBody('a=&b&&c=1')).toEqual([
      ['a', ''],
      ['b', ''],
      ['c', '1'],
    ]);
  });

  it.each(['Body=%ZZ', 'Body=%E0%A4%A', 'Body=%C3%28', '=value'])('rejects %s with a 400', (raw) => {
    expect(() => parseFormBody(raw)).toThrow(BadRequestError);
  });

  it('decodes unicode and emoji', () => {
    expect(parseFormBody('Body=%F0%9F%98%80%20caf%C3%A9')).toEqual([['Body', '😀 café']]);
  });
});

describe('singleValued', () => {
  it('keeps the first value of non-core repeated keys', () => {
    expect(
      singleValued(
        [
          ['X', '1'],
          ['X', '2'],
        ],
        ['From'],
      ),
    ).toEqual({ X: '1' });
  });

  it('rejects a repeated core field by name', () => {
    expect(() =>
      singleValued(
        [
          ['From', 'a'],
          ['From', 'b'],
        ],
        ['From'],
      ),
    ).toThrow('Duplicated field: From');
  });
});
