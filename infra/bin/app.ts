#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { loadInfraConfig } from '../config/index.js';
import { composeStacks } from '../lib/app.js';

// The one place that reads context: `cdk synth -c env=<name>` (cdk.json defaults to staging).
const app = new App();
const envName: unknown = app.node.tryGetContext('env');
if (typeof envName !== 'string' || envName === '') {
  throw new Error(
    'Set the environment with the CDK context "env", e.g. `cdk synth -c env=staging`.',
  );
}
composeStacks(app, loadInfraConfig(envName), webappColor, { nag: true });
app.synth();
