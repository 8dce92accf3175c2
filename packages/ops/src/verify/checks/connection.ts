import { GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The GitHub connection is AVAILABLE: one made by CloudFormation stays
 * PENDING until someone completes the handshake in the console, and the
 * pipeline's Source action fails until then.
 * @see https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-update.html
 */
export const connectionCheck: Check = {
  id: 'connection-available',
  title: 'source connection AVAILABLE',
  // A promoted environment has no pipeline of its own (infra/docs/environments.md).
  notApplicableTo: ({ config }) =>
    config.promotion
      ? `promoted from ${config.promotion.from}, it is deployed by ${config.promotion.from}'s pipeline, whose connection \`pnpm verify --env ${config.promotion.from}\` checks`
      : undefined,
  async run({ clients, app }) {
    const arn = requiredOutput(app, 'ConnectionArn');
    const { Connection } = await clients.connections.send(
      new GetConnectionCommand({ ConnectionArn: arn }),
    );
    const status = Connection?.ConnectionStatus ?? 'unknown';
    const name = Connection?.ConnectionName ?? arn;
    if (status === 'AVAILABLE') return pass(`${name} is AVAILABLE`);
    if (status === 'PENDING') {
      return fail(
        `${name} is PENDING`,
        'complete the handshake: console > Developer Tools > Settings > Connections > ' +
          `${name} > Update pending connection; then Release change on the pipeline`,
      );
    }
    return fail(
      `${name} is ${status}`,
      'the GitHub app lost access to the repository: update the connection in the console ' +
        '(Developer Tools > Settings > Connections) and reinstall the app on the repository',
    );
  },
};
