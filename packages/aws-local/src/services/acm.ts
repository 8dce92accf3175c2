import type { DescribeCertificateResponse } from '@aws-sdk/client-acm';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import type { AwsWorld } from '../world.js';

/**
 * ACM (awsJson1_1, `X-Amz-Target: CertificateManager.<Op>`).
 * DescribeCertificate, shape from the SDK's `CertificateDetail` and the API reference:
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html
 * A DNS-validated certificate lists the CNAME to create per domain in
 * `DomainValidationOptions[].ResourceRecord`; `IssuedAt` only once ISSUED.
 * An unknown ARN is `ResourceNotFoundException`.
 */

export const ACM_TARGET_PREFIX = 'CertificateManager';

const CREATED = new Date('2026-01-05T09:01:00.000Z');

export function acmOperations(world: AwsWorld): Record<string, JsonOperation> {
  return {
    DescribeCertificate(input): DescribeCertificateResponse {
      const arn = input.CertificateArn;
      const found = (world.certificates ?? []).find((c) => c.certificateArn === arn);
      if (!found) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `Could not find certificate with arn ${String(arn)}.`,
        );
      }
      const issued = found.status === 'ISSUED';
      return {
        Certificate: {
          CertificateArn: found.certificateArn,
          DomainName: found.domainName,
          SubjectAlternativeNames: [found.domainName],
          DomainValidationOptions: found.domainValidationOptions ?? [
            {
              DomainName: found.domainName,
              ValidationDomain: found.domainName,
              ValidationStatus: issued ? 'SUCCESS' : 'PENDING_VALIDATION',
              ResourceRecord: {
                Name: `_3639ac514e785e898d2646601fa951d5.${found.domainName}.`,
                Type: 'CNAME',
                Value: '_98d2646601fa951d53639ac514e785e8.mhbtsbpdnt.acm-validations.aws.',
              },
              ValidationMethod: 'DNS',
            },
          ],
          Status: found.status,
          Type: 'AMAZON_ISSUED',
          KeyAlgorithm: 'RSA_2048',
          SignatureAlgorithm: 'SHA256WITHRSA',
          InUseBy: [],
          CreatedAt: CREATED,
          IssuedAt: issued ? CREATED : undefined,
          Issuer: 'Amazon',
          RenewalEligibility: issued ? 'ELIGIBLE' : 'INELIGIBLE',
          KeyUsages: [],
          ExtendedKeyUsages: [],
          Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
        },
      };
    },
  };
}
