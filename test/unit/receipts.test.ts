import { describe, expect, it } from 'vitest';
import {
  MAX_RECEIPTS,
  RECEIPT_RETENTION_MS,
  receiptAttribute,
  receiptState,
  receiptStateAcross,
  staleReceipts,
} from '../../src/domain/receipts.js';

const NOW = 1_800_000_000_000;

describe('receipts', () => {
  it('derives a short, stable attribute name from any provider id', () => {
    const name = receiptAttribute('<weird id+with spaces@example.com>');

    expect(name).toMatch(/^rx_[A-Za-z0-9_-]{22}$/);
    expect(receiptAttribute('<weird id+with spaces@example.com>')).toBe(name);
    expect(receiptAttribute('SM1')).not.toBe(receiptAttribute('SM2'));
  });

  it.each([
    [undefined, 'absent'],
    [NOW + 1_000, 'in-progress'],
    [NOW - 1, 'absent'],
    [-(NOW - 5_000), 'done'],
  ] as const)('reads %s as %s', (value, state) => {
    const receipts: Record<string, number> = value === undefined ? {} : { rx_a: value };

    expect(receiptState(receipts, 'rx_a', NOW)).toBe(state);
  });

  it('drops receipts older than the retention window but keeps recent ones and the one being written', () => {
    const receipts = {
      rx_old: -(NOW - RECEIPT_RETENTION_MS - 1),
      rx_recent: -(NOW - 1_000),
      rx_self: -(NOW - RECEIPT_RETENTION_MS - 5),
    };

    expect(staleReceipts(receipts, NOW, 'rx_self')).toEqual(['rx_old']);
  });

  it('caps the number of receipts, dropping the oldest first', () => {
    const receipts = Object.fromEntries(
      Array.from({ length: MAX_RECEIPTS }, (_, i) => [`rx_${i}`, -(NOW - (MAX_RECEIPTS - i) * 1000)]),
    );

    expect(staleReceipts(receipts, NOW, 'rx_new')).toEqual(['rx_0']);
  });

  it("finds a receipt on any of the sender's conversations, done winning over in progress", () => {
    const a = receiptAttribute('SM1');
    const done = { receipts: { [a]: -NOW } };
    const inProgress = { receipts: { [a]: NOW + 1000 } };
    const none = { receipts: {} };

    expect(receiptStateAcross([none, done], a, NOW)).toBe('done');
    expect(receiptStateAcross([inProgress, none], a, NOW)).toBe('in-progress');
    expect(receiptStateAcross([inProgress, done], a, NOW)).toBe('done');
    expect(receiptStateAcross([none, { receipts: { [a]: NOW - 1 } }], a, NOW)).toBe('absent');
    expect(receiptStateAcross([], a, NOW)).toBe('absent');
  });
});
