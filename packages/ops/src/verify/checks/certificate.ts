import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { physicalIds } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The site's certificate is ISSUED: DNS validation only succeeds once the
 * validation CNAME is in the real zone.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export const certificateCheck: Check = {
  id: 'certificate-issued',
  title: 'certificate ISSUED',
  async run({ clients, app, environment }) {
    const [arn] = physicalIds(app, 'AWS::CertificateManager::Certificate');
    if (!arn) {
      return fail(
        `stack ${app.name} has no AWS::CertificateManager::Certificate`,
        'deploy the current CDK app (pnpm exec cdk deploy --all -c env=' + environment.name + ')',
      );
    }
    const { Certificate } = await clients.acm.send(
      new DescribeCertificateCommand({ CertificateArn: arn }),
    );
    const status = Certificate?.Status ?? 'unknown';
    const domain = Certificate?.DomainName ?? environment.config.site.domainName;
    if (status === 'ISSUED') return pass(`${domain}: ISSUED`);
    const records = (Certificate?.DomainValidationOptions ?? [])
      .filter((o) => o.ValidationStatus !== 'SUCCESS' && o.ResourceRecord)
      .map((o) => `${o.ResourceRecord!.Name} CNAME ${o.ResourceRecord!.Value}`);
    if (status === 'PENDING_VALIDATION') {
      return fail(
        `${domain}: PENDING_VALIDATION`,
        `create ${records.join('; ') || 'the validation CNAME ACM lists'} in hosted zone ` +
          `${environment.config.site.hostedZoneId} (site.hostedZoneId must be the zone that serves ${environment.config.site.hostedZoneName})`,
      );
    }
    return fail(
      `${domain}: ${status}${Certificate?.FailureReason ? ` (${Certificate.FailureReason})` : ''}`,
      'see the certificate in the ACM console; a failed or expired DNS-validated certificate is replaced by changing site.domainName or deleting it and deploying again',
    );
  },
};
