import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_OPTIONS_CONTEXT, type Synthesised, synthWebhookStack } from './synth.js';

/**
 * cdk-nag v3 runs as a CDK policy-validation plugin: synthesis throws on an unacknowledged error, so building the
 * stacks below with the plugin attached is already the gate `npm run synth` applies. These tests also fail on
 * warnings, on acknowledgements without a real reason, and on acknowledgements that no longer match a finding.
 */
interface Finding {
  readonly ruleId: string;
  readonly path: string;
}

/** What AwsSolutions reports with every acknowledgement ignored. */
function rawFindings(synthesised: Synthesised): Finding[] {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack
    .validateScope(synthesised.app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ ruleId: v.ruleName, path: r.constructPath ?? '' })),
    );
}

interface Acknowledgement {
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
}

function acknowledgements(synthesised: Synthesised): Acknowledgement[] {
  return synthesised.app.node.findAll().flatMap((construct: IConstruct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([key, reason]) => ({
          ruleId: key.replace(/^annotation::/i, ''),
          path: construct.node.path,
          reason: typeof reason === 'string' ? reason : JSON.stringify(reason),
        })),
      ),
  );
}

const covers = (ack: Acknowledgement, finding: Finding) =>
  ack.ruleId === finding.ruleId && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));

/** Every documented configuration (docs/deploy.md): the committed stages, the first-deploy phase, prod without SES. */
describe.each([
  ['dev as committed', {}],
  ['dev with SES inbound on the execute-api URL', { sesDomain: 'mail.example.com' }],
  ['staging as committed', { stage: 'staging' }],
  ['prod as committed (domain, WAF, SES, heartbeat)', { stage: 'prod' }],
  ['prod, first deploy (-c phase=first)', { stage: 'prod', phase: 'first' }],
  ['prod without SES inbound', { ...ALL_OPTIONS_CONTEXT, sesDomain: 'none' }],
])('AwsSolutions on %s', (_name, context) => {
  let synthesised: Synthesised;
  beforeAll(() => {
    // Throws here if any error-level finding is unacknowledged.
    synthesised = synthWebhookStack({ context, nag: true });
  });

  it('reports no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesised.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every finding is acknowledged, every acknowledgement matches a finding and gives a reason', () => {
    const findings = rawFindings(synthesised);
    // Acknowledgements of CDK's own annotations (not AwsSolutions findings) are checked for a reason only.
    const all = acknowledgements(synthesised);
    const acks = all.filter((a) => a.ruleId.startsWith('AwsSolutions-'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => !acks.some((a) => covers(a, f)))).toEqual([]);
    expect(
      acks.filter((a) => !findings.some((f) => covers(a, f))).map((a) => `${a.ruleId} @ ${a.path}`),
    ).toEqual([]);
    for (const ack of all) expect(ack.reason.length, ack.ruleId).toBeGreaterThanOrEqual(60);
  });
});
