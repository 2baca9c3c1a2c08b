import { STAGE_CONFIGS } from '../infra/stage-config.js';
import { readUnits, writeUnits } from './lib/item-size.js';
import type { Figure } from './lib/report.js';

/**
 * us-east-1 list prices, taken 2026-11-28 (sources in docs/cost.md). Free tiers ignored: they are per account,
 * not per webhook.
 */
export const PRICES = {
  takenOn: '2026-11-28',
  apiGatewayRestPerMillion: 3.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoDbPerMillionWru: 0.625,
  dynamoDbPerMillionRru: 0.125,
  sqsStandardPerMillion: 0.4,
} as const;

export interface CostInput {
  /** AWS operations per accepted webhook, counted at the emulators (figure 4). */
  readonly calls: Readonly<Record<string, number>>;
  /** Billed size of the conversation item the webhook reads and rewrites, bytes. */
  readonly conversationBytes: number;
  /** SQS message body size, bytes (billed in 64 KB chunks). */
  readonly messageBytes: number;
  /** Measured handler duration, ms (Lambda bills whole milliseconds). */
  readonly durationMs: number;
}

export interface CostBreakdown {
  readonly apiGateway: number;
  readonly lambda: number;
  readonly dynamoDb: number;
  readonly sqs: number;
  readonly total: number;
  readonly units: { readonly rru: number; readonly wru: number; readonly gbSeconds: number };
}

const MILLION = 1_000_000;

/**
 * Cost of 1M accepted webhooks. Conversations carry a GSI with an ALL projection on `updated_at`: the claim
 * UpdateItem changes that key (one index delete + one put), the completion UpdateItem changes a projected
 * attribute (one index write), so every conversation write is billed on the table and again on the index.
 */
export function gatewayCost(input: CostInput): CostBreakdown {
  const w = writeUnits(input.conversationBytes);
  const updates = input.calls['dynamodb:UpdateItem'] ?? 0;
  const queries = input.calls['dynamodb:Query'] ?? 0;
  // First update (claim): table + 2 index writes; further updates (completion): table + 1 index write.
  const wru = updates > 0 ? 3 * w + (updates - 1) * 2 * w : 0;
  const rru = queries * readUnits(input.conversationBytes, true);
  return price({ rru, wru, sends: input.calls['sqs:SendMessage'] ?? 0, ...input });
}

/** The reference pipeline: a 1-WRU idempotency put, an eventually consistent Query, one UpdateItem, one send. */
export function referenceCost(input: Omit<CostInput, 'calls'>): CostBreakdown {
  const w = writeUnits(input.conversationBytes);
  return price({ rru: readUnits(input.conversationBytes, false), wru: 1 + 3 * w, sends: 1, ...input });
}

function price(x: {
  rru: number;
  wru: number;
  sends: number;
  messageBytes: number;
  durationMs: number;
}): CostBreakdown {
  const memoryGb = STAGE_CONFIGS.prod.webhookMemoryMb / 1024;
  const gbSeconds = memoryGb * (Math.ceil(x.durationMs) / 1000);
  const apiGateway = PRICES.apiGatewayRestPerMillion;
  const lambda = PRICES.lambdaRequestsPerMillion + gbSeconds * MILLION * PRICES.lambdaArmPerGbSecond;
  const dynamoDb = x.wru * PRICES.dynamoDbPerMillionWru + x.rru * PRICES.dynamoDbPerMillionRru;
  const sqs = x.sends * Math.ceil(x.messageBytes / (64 * 1024)) * PRICES.sqsStandardPerMillion;
  return {
    apiGateway,
    lambda,
    dynamoDb,
    sqs,
    total: apiGateway + lambda + dynamoDb + sqs,
    units: { rru: x.rru, wru: x.wru, gbSeconds },
  };
}

export function costFigures(gateway: CostBreakdown, reference: CostBreakdown): Figure[] {
  return [
    {
      id: '6a',
      label: 'AWS cost per 1M webhooks (us-east-1)',
      value: gateway.total,
      unit: 'USD',
      baseline: `reference $${reference.total.toFixed(2)}; see docs/cost.md`,
    },
  ];
}
