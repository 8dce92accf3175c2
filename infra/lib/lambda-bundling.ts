import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** How every function of this app is bundled. */
export const LAMBDA_BUNDLING: nodejs.BundlingOptions = {
  // Local esbuild only: synth stays offline and Docker-free.
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  target: 'node24',
  // The Node.js Lambda runtimes ship the AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
};
