import type { Subscription } from '@aws-sdk/client-sns';
import type { AwsQueryOperation } from '../protocols/aws-query.js';
import { AwsServiceError } from '../protocols/errors.js';
import { page } from '../protocols/paging.js';
import { DEFAULT_ACCOUNT_ID, type AwsWorld } from '../world.js';

/**
 * SNS (awsQuery, Version 2010-03-31). ListSubscriptionsByTopic, shapes from
 * the SDK's `Subscription` and the API reference:
 * https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
 * A subscription not yet confirmed has the ARN `PendingConfirmation`
 * (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html); pages of
 * 100; an unknown topic is `NotFound` (404) "Topic does not exist".
 */

export const SNS_VERSION = '2010-03-31';
export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

export function snsOperations(world: AwsWorld): Record<string, AwsQueryOperation> {
  return {
    ListSubscriptionsByTopic(form) {
      const topicArn = form.get('TopicArn');
      const topic = (world.topics ?? []).find((t) => t.topicArn === topicArn);
      if (!topic) throw new AwsServiceError('NotFound', 'Topic does not exist', 404);
      const subscriptions: Subscription[] = topic.subscriptions.map((s, index) => ({
        SubscriptionArn: s.confirmed
          ? `${topic.topicArn}:${String(index + 1).padStart(8, '0')}-0000-4000-8000-000000000000`
          : 'PendingConfirmation',
        Owner: world.accountId ?? DEFAULT_ACCOUNT_ID,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        TopicArn: topic.topicArn,
      }));
      const { items, next } = page(subscriptions, form.get('NextToken'), 100, 'InvalidParameter');
      return { Subscriptions: items, NextToken: next };
    },
  };
}
