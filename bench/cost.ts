import { STAGE_CONFIGS } from '../infra/stage-config.js';
import { readUnits, writeUnits } from './lib/item-size.js';
import type { Figure } from './lib/report.js';
import { median, sum } from './lib/stats.js';
import type { ConversationSize } from './processes/emulators.js';

/**
 * Receipts kept on a conversation = the sender's messages of the last 24 h (at most 100). The headline figure
 * assumes 10 — a candidate in an active exchange; docs/cost.md shows 1 to 100.
 */
const TYPICAL_RECEIPTS = 10;
const RECEIPT_SCENARIOS = [1, 10, 30, 100] as const;

interface ConversationModel {
  /** The item without receipts, as the gateway leaves it (summary, timestamps, sequence number), bytes. */
  readonly baseBytes: number;
  readonly bytesPerReceipt: number;
}

/** From the bench conversations as the gateway left them: item size = base + receipts × bytes per receipt. */
function conversationModel(sizes: readonly ConversationSize[]): ConversationModel {
  const withReceipts = sizes.filter((size) => size.receipts > 0);
  return {
    baseBytes: median(sizes.map((size) => size.bytes - size.receiptBytes)),
    bytesPerReceipt:
      sum(withReceipts.map((size) => size.receiptBytes)) / sum(withReceipts.map((size) => size.receipts)),
  };
}

const conversationBytes = (model: ConversationModel, receipts: number): number =>
  Math.round(model.baseBytes + receipts * model.bytesPerReceipt);

/**
 * us-east-1 list prices, taken 2026-11-28 (sources in docs/cost.md). Free tiers ignored: they are per account,
 * not per webhook.
 */
const PRICES = {
  takenOn: '2026-11-28',
  apiGatewayRestPerMillion: 3.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoDbPerMillionWru: 0.625,
  dynamoDbPerMillionRru: 0.125,
  sqsStandardPerMillion: 0.4,
  cloudWatchLogsIngestPerGb: 0.5,
} as const;

/** Lambda's own START, END and REPORT lines per invocation (text format), bytes: an estimate, not measured here. */
const LAMBDA_PLATFORM_LOG_BYTES = 265;

interface CostInput {
  /** AWS operations per accepted webhook, counted at the emulators (figure 4). */
  readonly calls: Readonly<Record<string, number>>;
  /** Billed size of the conversation item the webhook reads and rewrites, bytes. */
  readonly conversationBytes: number;
  /** SQS message body size, bytes (billed in 64 KB chunks). */
  readonly messageBytes: number;
  /** Measured handler duration, ms (Lambda bills whole milliseconds). */
  readonly durationMs: number;
  /** What the handler logs per webhook (JSON logs + EMF metrics), bytes; the platform lines are added. */
  readonly logBytes: number;
}

interface CostBreakdown {
  readonly apiGateway: number;
  readonly lambda: number;
  readonly dynamoDb: number;
  readonly sqs: number;
  /** The list: API Gateway, Lambda, DynamoDB, SQS. */
  readonly total: number;
  /** CloudWatch Logs ingestion, kept apart from `total` (not in the list, but per webhook too). */
  readonly logs: number;
  readonly units: { readonly rru: number; readonly wru: number; readonly gbSeconds: number };
}

const MILLION = 1_000_000;

/**
 * Cost of 1M accepted webhooks. Conversations carry a KEYS_ONLY GSI on `updated_at`: the claim UpdateItem
 * changes that key (one index delete + one put of a small keys-only entry, 1 WRU each); the completion UpdateItem
 * changes only a receipt, which is not projected, so it is billed on the table alone.
 */
function gatewayCost(input: CostInput): CostBreakdown {
  const w = writeUnits(input.conversationBytes);
  const updates = input.calls['dynamodb:UpdateItem'] ?? 0;
  const queries = input.calls['dynamodb:Query'] ?? 0;
  // First update (claim): table + 2 keys-only index writes; further updates (completion): table only.
  const wru = updates > 0 ? w + 2 + (updates - 1) * w : 0;
  const rru = queries * readUnits(input.conversationBytes, true);
  return price({ rru, wru, sends: input.calls['sqs:SendMessage'] ?? 0, ...input });
}

/**
 * The reference pipeline: a 1-WRU idempotency put, an eventually consistent Query, one UpdateItem, one send, and
 * no logs of its own.
 */
function referenceCost(input: Omit<CostInput, 'calls' | 'logBytes'>): CostBreakdown {
  const w = writeUnits(input.conversationBytes);
  return price({
    rru: readUnits(input.conversationBytes, false),
    wru: 1 + 3 * w,
    sends: 1,
    logBytes: 0,
    ...input,
  });
}

function price(x: {
  rru: number;
  wru: number;
  sends: number;
  messageBytes: number;
  durationMs: number;
  logBytes: number;
}): CostBreakdown {
  const memoryGb = STAGE_CONFIGS.prod.webhookMemoryMb / 1024;
  const gbSeconds = memoryGb * (Math.ceil(x.durationMs) / 1000);
  const apiGateway = PRICES.apiGatewayRestPerMillion;
  const lambda = PRICES.lambdaRequestsPerMillion + gbSeconds * MILLION * PRICES.lambdaArmPerGbSecond;
  const dynamoDb = x.wru * PRICES.dynamoDbPerMillionWru + x.rru * PRICES.dynamoDbPerMillionRru;
  const sqs = x.sends * Math.ceil(x.messageBytes / (64 * 1024)) * PRICES.sqsStandardPerMillion;
  const logs =
    (((x.logBytes + LAMBDA_PLATFORM_LOG_BYTES) * MILLION) / 2 ** 30) * PRICES.cloudWatchLogsIngestPerGb;
  return {
    apiGateway,
    lambda,
    dynamoDb,
    sqs,
    total: apiGateway + lambda + dynamoDb + sqs,
    logs,
    units: { rru: x.rru, wru: x.wru, gbSeconds },
  };
}

interface Pool {
  readonly offset: number;
  readonly count: number;
}

/**
 * Figure 6 from what the run measured: calls per webhook (figure 4), handler duration (figure 5), the SQS body
 * (figure 1's context object) and the conversation items the gateway and the reference left in the emulator.
 */
export function estimateCost(run: {
  sizes: readonly ConversationSize[];
  pools: { readonly gateway: Pool; readonly reference: Pool; readonly lambda: Pool };
  calls: Readonly<Record<string, number>>;
  logBytes: number;
  messageBytes: number;
  durationMs: number;
}): { figures: Figure[]; details: unknown } {
  const pool = (p: Pool) => run.sizes.slice(p.offset, p.offset + p.count);
  // Items written by the gateway's code (local stack and production bundle): receipts and all.
  const model = conversationModel([...pool(run.pools.gateway), ...pool(run.pools.lambda)]);
  const shared = { messageBytes: run.messageBytes, durationMs: run.durationMs };
  const bill = (receipts: number) =>
    gatewayCost({
      ...shared,
      calls: run.calls,
      logBytes: run.logBytes,
      conversationBytes: conversationBytes(model, receipts),
    });
  const referenceBytes = median(pool(run.pools.reference).map((size) => size.bytes));
  const reference = referenceCost({ ...shared, conversationBytes: referenceBytes });
  const typical = bill(TYPICAL_RECEIPTS);
  return {
    figures: [
      {
        id: '6a',
        label: `AWS cost per 1M webhooks (us-east-1, ${TYPICAL_RECEIPTS} receipts)`,
        value: typical.total,
        unit: 'USD',
        baseline: `reference $${reference.total.toFixed(2)}; see docs/cost.md`,
      },
      {
        id: '6b',
        label: '… plus CloudWatch Logs ingestion',
        value: typical.total + typical.logs,
        unit: 'USD',
        baseline: `${run.logBytes.toFixed(0)} B logged per webhook + ${LAMBDA_PLATFORM_LOG_BYTES} B Lambda lines`,
      },
    ],
    details: {
      prices: PRICES,
      model,
      referenceBytes,
      ...shared,
      byReceipts: Object.fromEntries(
        RECEIPT_SCENARIOS.map((n) => [n, { bytes: conversationBytes(model, n), ...bill(n) }]),
      ),
      reference,
    },
  };
}
