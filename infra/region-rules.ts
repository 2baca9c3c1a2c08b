import { Aws, CfnRule, Fn, type Stack } from 'aws-cdk-lib';

/**
 * Regions where Amazon SES receives email (an MX at `inbound-smtp.<region>.amazonaws.com`), from AWS's list of email
 * receiving endpoints. Deliberately the long-standing ones only: a region missing here fails the deploy loudly and is
 * one line to add, while a region wrongly here would deploy a rule set that never receives a message.
 */
export const SES_RECEIVING_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

/** The region of an ACM certificate ARN (`arn:aws:acm:<region>:<account>:certificate/<id>`). */
function certificateRegion(certificateArn: string): string {
  const region = certificateArn.split(':')[3];
  if (!region) throw new Error(`Not an ACM certificate ARN: ${certificateArn}`);
  return region;
}

export interface RegionRulesProps {
  readonly certificateArn?: string;
  readonly sesDomain?: string;
}

/**
 * Template `Rules` CloudFormation checks before it creates anything: a regional custom domain takes an ACM
 * certificate from its own region only, and SES receipt rules work only where SES receives email. A deploy to any
 * other region fails at once with the message below instead of half-way (or, for SES, never receiving a mail).
 */
export function addRegionRules(stack: Stack, props: RegionRulesProps): void {
  if (props.certificateArn) {
    const region = certificateRegion(props.certificateArn);
    new CfnRule(stack, 'CertificateInDeployRegion', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, region),
          assertDescription: `The custom domain's ACM certificate is in ${region}: deploy this stack to ${region}`,
        },
      ],
    });
  }
  if (props.sesDomain) {
    new CfnRule(stack, 'SesReceivingRegion', {
      assertions: [
        {
          assert: Fn.conditionContains([...SES_RECEIVING_REGIONS], Aws.REGION),
          assertDescription: `Amazon SES receives email only in ${SES_RECEIVING_REGIONS.join(', ')}: deploy there`,
        },
      ],
    });
  }
}
