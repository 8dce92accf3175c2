#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { environments, loadEnvironments } from '../config/index.js';
import { composeStacks } from '../lib/app.js';

// The one place that reads context and the environment: `cdk synth -c env=<name>`
// for one environment (cdk.json defaults to staging, so `cdk deploy --all`
// deploys one environment), `-c env=all` for every registered environment
// (what `pnpm synth` writes into cdk.out; stack names carry the environment).

/** The `env` context value that selects every registered environment. */
const ALL = 'all';

const app = new App();
try {
  const envName: unknown = app.node.tryGetContext('env');
  if (typeof envName !== 'string' || envName === '') {
    throw new Error(
      `context "env" = ${JSON.stringify(envName)}: set the environment, e.g. \`cdk synth -c env=staging\`, or \`-c env=${ALL}\` for every one (${Object.keys(environments).join(', ')})`,
    );
  }
  // A new value on every run, so the LiveTrafficGuard re-reads the live
  // target groups (and refuses during a deployment) on every deploy.
  const deployRun = new Date().toISOString();
  // Every configuration (and their promotion) is validated before any stack is composed.
  const all = loadEnvironments();
  if (envName !== ALL && all[envName] === undefined) {
    throw new Error(
      `Unknown environment "${envName}" (context "env"); expected one of ${Object.keys(environments).join(', ')}, or ${ALL}`,
    );
  }
  const configs = envName === ALL ? Object.values(all) : [all[envName]!];
  for (const config of configs) {
    composeStacks(app, config, webappColor, { nag: true, deployRun, environments: all });
  }
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
