#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { loadInfraConfig } from '../config/index.js';
import { composeStacks } from '../lib/app.js';

// The one place that reads context and the environment: `cdk synth -c env=<name>`
// (cdk.json defaults to staging).
const app = new App();
try {
  const envName: unknown = app.node.tryGetContext('env');
  if (typeof envName !== 'string' || envName === '') {
    throw new Error(
      `context "env" = ${JSON.stringify(envName)}: set the environment, e.g. \`cdk synth -c env=staging\``,
    );
  }
  composeStacks(app, loadInfraConfig(envName), webappColor, {
    nag: true,
    // A new value on every run, so the LiveTrafficGuard re-reads the live
    // target groups (and refuses during a deployment) on every deploy.
    deployRun: new Date().toISOString(),
  });
  app.synth();
} catch (error) {
  // Configuration mistakes are reported as one readable message, not a stack
  // trace; CDK_DEBUG=true (CDK's own debug switch) shows the stack as well.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`webapp-color infra: ${message}\n`);
  if (process.env.CDK_DEBUG === 'true' && error instanceof Error) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(1);
}
