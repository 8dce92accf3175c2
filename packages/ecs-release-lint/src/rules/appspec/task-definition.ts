import { documentRule, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

// arn:<partition>:ecs:<region>:<account>:task-definition/<family>:<revision>, the revision a
// positive integer: CodeDeploy starts the replacement task set from one registered revision.
const TASK_DEFINITION_ARN =
  /^arn:aws(?:-[a-z]+)*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:[1-9]\d*$/;
const ANY_TASK_DEFINITION_ARN = /^arn:[^:]*:ecs:[^:]*:[^:]*:task-definition\/[^:]+(?::(.*))?$/;
// Filled before CodeDeploy reads the file: $NAME, ${name}, {{name}}, #{Namespace.name}.
const TEMPLATE_VARIABLE = /\$\{?[A-Za-z_]|\{\{|#\{/;
// A word in capitals (TASK_DEFINITION_ARN) or no word at all ("#"): a stand-in a build step replaces.
const STAND_IN = /^(?:[A-Z][A-Z0-9_]*|[^A-Za-z0-9]*)$/;
const FILE_NAME = /\.(?:json|ya?ml)$/i;

const FILL =
  'use <TASK_DEFINITION>, which CodeDeployToECS fills with the revision it registers, or the ARN of a registered revision (arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7)';

export const appspecTaskDefinition = documentRule(
  {
    id: 'APPSPEC_TASK_DEFINITION',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    severity: 'error',
    messages: {
      standIn: `{{value}} is not a task-definition ARN: unless a build step replaces it before the deployment, CodeDeploy fails; ${FILL}`,
      noRevision: `{{value}} has no revision: CodeDeploy needs one registered revision; ${FILL}`,
      badRevision: `{{value}} ends in ":{{revision}}", not a revision number: CodeDeploy needs one registered revision; ${FILL}`,
      malformedArn: `{{value}} is not a task-definition ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION); ${FILL}`,
      fileName: `{{value}} is a file name, and CodeDeploy reads a task-definition ARN here (CodeDeployToECS takes the file as its TaskDefinitionTemplatePath); ${FILL}`,
      notArn: `{{value}} is not a task-definition ARN; ${FILL}`,
    },
    summary:
      'Properties.TaskDefinition is <TASK_DEFINITION> or a task-definition ARN with a revision number; a stand-in a build step replaces is a warning.',
    why: 'The AppSpec reference gives TaskDefinition as the ARN of the task definition, arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION, and CodeDeploy starts the replacement task set from the revision it names. An S3 ARN, a file name, a family without a revision or a ":latest" revision names no revision, and the deployment fails. CodeDeployToECS replaces only <TASK_DEFINITION>; a stand-in such as TASK_DEFINITION_ARN works only if a build step replaces it first, which the file alone cannot show.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const service of targetServices(document)) {
      const { properties } = service;
      const value = properties?.fields.TaskDefinition;
      // A whole-value <PLACEHOLDER> other than <TASK_DEFINITION> is SPEC_UNFILLED_PLACEHOLDER's.
      if (
        properties === undefined ||
        typeof value !== 'string' ||
        TASK_DEFINITION_ARN.test(value) ||
        /^<[^<>]+>$/.test(value)
      )
        continue;
      if (TEMPLATE_VARIABLE.test(value)) continue;
      const path = [...properties.path, 'TaskDefinition'];
      const shown = JSON.stringify(value);
      const revision = ANY_TASK_DEFINITION_ARN.exec(value);
      if (STAND_IN.test(value)) {
        hits.push({
          path,
          severity: 'warning',
          messageId: 'standIn',
          data: { value: shown },
        });
      } else if (revision) {
        hits.push(
          revision[1] === undefined
            ? { path, messageId: 'noRevision', data: { value: shown } }
            : { path, messageId: 'badRevision', data: { value: shown, revision: revision[1] } },
        );
      } else if (value.startsWith('arn:')) {
        hits.push({
          path,
          messageId: 'malformedArn',
          data: { value: shown },
        });
      } else if (FILE_NAME.test(value)) {
        hits.push({
          path,
          messageId: 'fileName',
          data: { value: shown },
        });
      } else {
        hits.push({
          path,
          messageId: 'notArn',
          data: { value: shown },
        });
      }
    }
    return hits;
  },
);
