import { ListSubscriptionsByTopicCommand, type Subscription } from '@aws-sdk/client-sns';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * Every subscription of the release-notifications topic is confirmed (an
 * unconfirmed one has the ARN `PendingConfirmation` and receives nothing),
 * and the configured address is among them.
 * @see https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html
 */
export const notificationsCheck: Check = {
  id: 'topic-subscriptions',
  title: 'notification subscriptions confirmed',
  async run({ clients, app, environment }) {
    const topicArn = requiredOutput(app, 'NotificationTopicArn');
    const subscriptions: Subscription[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }),
      );
      subscriptions.push(...(page.Subscriptions ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const pending = subscriptions.filter((s) => s.SubscriptionArn === 'PendingConfirmation');
    const email = environment.config.notifications.email;
    const problems: string[] = pending.map((s) => `${s.Protocol} ${s.Endpoint} not confirmed`);
    if (email !== undefined && !subscriptions.some((s) => s.Endpoint === email)) {
      problems.push(`${email} (notifications.email) is not subscribed`);
    }
    if (problems.length > 0) {
      return fail(
        problems.join('; '),
        'the recipient confirms with the link in the "AWS Notification - Subscription Confirmation" ' +
          `email; to send it again: aws sns subscribe --topic-arn ${topicArn} --protocol email ` +
          `--notification-endpoint <address> --region ${environment.region}`,
      );
    }
    if (subscriptions.length === 0) {
      return pass(
        'no subscriptions (notifications.email is not set): failed releases notify nobody',
      );
    }
    return pass(
      `${subscriptions.length} confirmed: ${subscriptions.map((s) => s.Endpoint).join(', ')}`,
    );
  },
};
