import { AwsServiceError } from '../protocols/errors.js';
import {
  numberedMembers,
  parseFilters,
  type QueryFilter,
  type XmlValue,
} from '../protocols/query.js';
import type { AwsWorld, WorldNetworkInterface } from '../world.js';
import { DEFAULT_ACCOUNT_ID } from '../world.js';

/**
 * EC2 (ec2Query, `Action=DescribeNetworkInterfaces&Version=2016-11-15`).
 * The answer's element names are the SDK deserializer's (`networkInterfaceSet`
 * of `item`s with `description`, `privateIpAddress`, …), as in the API
 * reference's example response:
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html
 * Filter values take `*` and `?` wildcards; an unsupported filter name is
 * InvalidParameterValue; an unknown `NetworkInterfaceId.N` is
 * InvalidNetworkInterfaceID.NotFound.
 */

export type QueryOperation = (form: URLSearchParams) => Record<string, XmlValue | undefined>;

const FILTERS: Record<string, (eni: WorldNetworkInterface) => string | undefined> = {
  description: (eni) => eni.description,
  'private-ip-address': (eni) => eni.privateIpAddress,
  'addresses.private-ip-address': (eni) => eni.privateIpAddress,
  'network-interface-id': (eni) => eni.networkInterfaceId,
  'vpc-id': (eni) => eni.vpcId ?? 'vpc-0123456789abcdef0',
  'subnet-id': (eni) => eni.subnetId ?? 'subnet-0123456789abcdef0',
  status: (eni) => eni.status ?? 'in-use',
};

function wildcard(pattern: string): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function matches(eni: WorldNetworkInterface, filter: QueryFilter): boolean {
  const value = FILTERS[filter.name]?.(eni);
  return value !== undefined && filter.values.some((pattern) => wildcard(pattern).test(value));
}

export function ec2Operations(world: AwsWorld): Record<string, QueryOperation> {
  return {
    DescribeNetworkInterfaces(form) {
      const filters = parseFilters(form);
      for (const filter of filters) {
        if (!(filter.name in FILTERS)) {
          throw new AwsServiceError(
            'InvalidParameterValue',
            `The filter '${filter.name}' is invalid`,
          );
        }
      }
      const ids = numberedMembers(form, 'NetworkInterfaceId');
      for (const id of ids) {
        if (!world.networkInterfaces.some((eni) => eni.networkInterfaceId === id)) {
          throw new AwsServiceError(
            'InvalidNetworkInterfaceID.NotFound',
            `The networkInterface ID '${id}' does not exist`,
          );
        }
      }
      const selected = world.networkInterfaces.filter(
        (eni) =>
          (ids.length === 0 || ids.includes(eni.networkInterfaceId)) &&
          filters.every((filter) => matches(eni, filter)),
      );
      return {
        networkInterfaceSet: selected.map((eni) => ({
          networkInterfaceId: eni.networkInterfaceId,
          subnetId: eni.subnetId ?? 'subnet-0123456789abcdef0',
          vpcId: eni.vpcId ?? 'vpc-0123456789abcdef0',
          description: eni.description,
          ownerId: world.accountId ?? DEFAULT_ACCOUNT_ID,
          requesterId: 'amazon-elb',
          requesterManaged: true,
          status: eni.status ?? 'in-use',
          privateIpAddress: eni.privateIpAddress,
          sourceDestCheck: true,
          interfaceType: 'interface',
          groupSet: [],
          tagSet: [],
          privateIpAddressesSet: [{ privateIpAddress: eni.privateIpAddress, primary: true }],
          ipv6AddressesSet: [],
        })),
      };
    },
  };
}
