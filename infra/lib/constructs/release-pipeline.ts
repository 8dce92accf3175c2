import { Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as codestarconnections from 'aws-cdk-lib/aws-codestarconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { IMAGE_PLACEHOLDER } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { Construct } from 'constructs';
import { acknowledgeBucketGrant } from '../nag.js';

export interface ReleasePipelineProps {
  readonly definition: DeliveryDefinition;
  /** Name prefix of the connection (`<prefix>-<env>`). */
  readonly namePrefix: string;
  readonly source: {
    readonly owner: string;
    readonly repo: string;
    readonly branch: string;
    /** An existing connection; when absent one is created (PENDING until the console handshake). */
    readonly connectionArn?: string;
  };
  readonly project: codebuild.IProject;
  readonly application: codedeploy.IEcsApplication;
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  readonly artifactBucket: s3.IBucket;
  /** The only roles the deploy action may pass (to ECS tasks). */
  readonly executionRole: iam.IRole;
  readonly taskRole: iam.IRole;
}

/** The name inside the image placeholder the render step writes (<IMAGE1_NAME> → IMAGE1_NAME). */
const IMAGE_PLACEHOLDER_NAME = IMAGE_PLACEHOLDER.slice(1, -1);

/**
 * The GitHub connection and the CodePipeline (V2) Source → Build →
 * CodeDeployToECS that ships every push to the branch.
 */
export class ReleasePipeline extends Construct {
  readonly connectionArn: string;
  readonly connectionCreated: boolean;
  readonly pipeline: codepipeline.Pipeline;

  constructor(scope: Construct, id: string, props: ReleasePipelineProps) {
    super(scope, id);
    if (props.source.connectionArn) {
      this.connectionArn = props.source.connectionArn;
      this.connectionCreated = false;
    } else {
      const connection = new codestarconnections.CfnConnection(this, 'GitHubConnection', {
        connectionName: `${props.namePrefix}-github`.slice(0, 32),
        providerType: 'GitHub',
      });
      // Its AVAILABLE state is the console handshake: a replacement would be
      // PENDING again and stop every release until someone repeats it.
      connection.overrideLogicalId('GitHubConnection');
      this.connectionArn = connection.attrConnectionArn;
      this.connectionCreated = true;
    }

    const sourceOutput = new codepipeline.Artifact('Source');
    const buildOutput = new codepipeline.Artifact('Build');

    const sourceRole = new iam.Role(this, 'SourceActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Pipeline Source action: uses the GitHub connection, writes the source artifact',
    });
    // CDK grants codestar-connections:UseConnection; a connection made as
    // AWS::CodeConnections (arn:…:codeconnections:…) is also used by that name.
    sourceRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codeconnections:UseConnection'],
        resources: [this.connectionArn],
      }),
    );
    const sourceAction = new actions.CodeStarConnectionsSourceAction({
      actionName: 'GitHub',
      connectionArn: this.connectionArn,
      owner: props.source.owner,
      repo: props.source.repo,
      branch: props.source.branch,
      output: sourceOutput,
      role: sourceRole,
    });

    const deployRole = this.deployRole(props);
    const deployAction = new actions.CodeDeployEcsDeployAction({
      actionName: 'BlueGreen',
      deploymentGroup: props.deploymentGroup,
      taskDefinitionTemplateFile: buildOutput.atPath('taskdef.json'),
      appSpecTemplateFile: buildOutput.atPath('appspec.yaml'),
      containerImageInputs: [
        { input: buildOutput, taskDefinitionPlaceholder: IMAGE_PLACEHOLDER_NAME },
      ],
      role: deployRole.withoutPolicyUpdates(),
    });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: codepipeline.ExecutionMode.QUEUED,
      artifactBucket: props.artifactBucket,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: 'Source', actions: [sourceAction] },
        {
          stageName: 'Build',
          actions: [
            new actions.CodeBuildAction({
              actionName: 'TestBuildRender',
              project: props.project,
              input: sourceOutput,
              outputs: [buildOutput],
              // The commit of this run, from the source action: CodeBuild's
              // CODEBUILD_RESOLVED_SOURCE_VERSION may be unavailable for
              // pipeline builds. It tags the image and becomes APP_VERSION.
              environmentVariables: {
                [props.definition.build.sourceCommitVariable]: {
                  type: codebuild.BuildEnvironmentVariableType.PLAINTEXT,
                  value: sourceAction.variables.commitId,
                },
              },
            }),
          ],
        },
        { stageName: 'Deploy', actions: [deployAction] },
      ],
      triggers: [
        {
          providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
          gitConfiguration: {
            sourceAction,
            pushFilter: [{ branchesIncludes: [props.source.branch] }],
          },
        },
      ],
    });
    acknowledgeBucketGrant(
      this.pipeline.role,
      props.artifactBucket,
      'the pipeline moves artifacts between stages',
    );
    acknowledgeBucketGrant(
      sourceRole,
      props.artifactBucket,
      'the source action writes the source artifact',
    );
    if (props.project.role) {
      acknowledgeBucketGrant(
        props.project.role,
        props.artifactBucket,
        'the build reads the source and writes its output',
      );
    }
  }

  /**
   * The deploy action's role, written by hand: CDK's default grants
   * iam:PassRole on "*"; this one passes only the two task roles.
   */
  private deployRole(props: ReleasePipelineProps): iam.Role {
    const deployRole = new iam.Role(this, 'DeployActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Pipeline Deploy action: CodeDeployToECS for this deployment group only',
    });
    const group = props.deploymentGroup;
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'codedeploy:GetApplication',
          'codedeploy:GetApplicationRevision',
          'codedeploy:RegisterApplicationRevision',
        ],
        resources: [props.application.applicationArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
        resources: [group.deploymentGroupArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codedeploy:GetDeploymentConfig'],
        resources: [group.deploymentConfig.deploymentConfigArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RegisterReleaseTaskDefinition',
        actions: ['ecs:RegisterTaskDefinition'],
        // RegisterTaskDefinition supports no resource-level permission.
        resources: ['*'],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassOnlyTheTaskRoles',
        actions: ['iam:PassRole'],
        resources: [props.executionRole.roleArn, props.taskRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    props.artifactBucket.grantRead(deployRole);
    acknowledgeBucketGrant(deployRole, props.artifactBucket, 'reads the build output');
    Validations.of(deployRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecs:RegisterTaskDefinition supports no resource-level permission; iam:PassRole is limited to the two task roles.',
    });
    return deployRole;
  }
}
