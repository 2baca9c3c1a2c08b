import * as z from 'zod';
import { LIMITS } from '../src/resources.js';

const domainName = z
  .string()
  .regex(
    /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lower-case domain name',
  );

/** What one stage is deployed as: where, under which names, with which optional parts. */
const stageDeploymentSchema = z.strictObject({
  /** The 12-digit AWS account the stacks are pinned to; a deploy with other credentials fails. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  /** The region the stacks are pinned to (custom domain certificate and SES receiving must be there). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .optional(),
  /** Regional custom domain; the certificate must be an ACM certificate in `region`. */
  customDomain: z
    .strictObject({
      domainName,
      certificateArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/,
          'must be an ACM certificate ARN',
        ),
    })
    .optional(),
  enableWaf: z.boolean(),
  enableTracing: z.boolean(),
  corsAllowOrigin: z.string().min(1),
  /** Amazon SES inbound for this domain (MX at SES inbound in `region`). */
  sesDomain: domainName.optional(),
  /** Where alarms are e-mailed (the SNS subscription must be confirmed once). */
  alarmEmail: z.email('must be an e-mail address').optional(),
  /** The AI's monthly budget (MONTHLY_QUOTA): messages queued for the AI a month; default `LIMITS.monthlyQuota`. */
  monthlyQuota: z.int().min(1, 'must be ≥ 1').optional(),
  /** A signed synthetic webhook to the public URL every few minutes, and an alarm when none arrives. */
  heartbeat: z.boolean(),
  /**
   * This stage's deploy also manages the account-wide API Gateway CloudWatch role (`RepliesEngineApiGatewayAccount`
   * stack). Exactly one stage per account and region says true; the others rely on it.
   */
  manageApiGatewayAccount: z.boolean(),
});

export type StageDeployment = z.input<typeof stageDeploymentSchema>;
export type ResolvedDeployment = z.output<typeof stageDeploymentSchema> & { readonly monthlyQuota: number };

/**
 * Values a stage cannot be deployed without. prod: pinned, behind its domain, paging someone. A missing one fails
 * synth with its name, so a forgotten `-c` can no longer delete the domain or WAF.
 */
const REQUIRED_SETTINGS: Readonly<Record<string, readonly (keyof ResolvedDeployment)[]>> = {
  dev: [],
  staging: ['account', 'region'],
  prod: ['account', 'region', 'customDomain', 'alarmEmail'],
};

/** Settings that must hold in prod whatever the file says (an override may still switch them off for a test). */
export function validateDeployment(stage: string, raw: unknown): ResolvedDeployment {
  const parsed = stageDeploymentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Stage "${stage}" deployment settings are invalid: ${issues}`);
  }
  const missing = (REQUIRED_SETTINGS[stage] ?? []).filter((key) => parsed.data[key] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Stage "${stage}" is missing required setting${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ` +
        '(infra/stages.ts, or -c for an experiment)',
    );
  }
  const certificateRegion = parsed.data.customDomain?.certificateArn.split(':')[3];
  if (certificateRegion && parsed.data.region && certificateRegion !== parsed.data.region) {
    throw new Error(
      `Stage "${stage}": the certificate is in ${certificateRegion} but the stage deploys to ${parsed.data.region}; a regional ` +
        'custom domain needs an ACM certificate in its own region',
    );
  }
  return { ...parsed.data, monthlyQuota: parsed.data.monthlyQuota ?? LIMITS.monthlyQuota };
}
