import { IMAGE_DEFINITIONS_DOCS } from '../../models/imagedefinitions.js';
import { imageDefinitions } from '../imagedefinitions/imagedefinitions.js';
import type { Rule, RuleHit } from '../../core/rule.js';
import { at, containerList } from './release.js';

export const releaseImageDefinitions: Rule = {
  id: 'RELEASE_IMAGE_DEFINITIONS',
  stage: 'release',
  kinds: ['imagedefinitions', 'taskdef'],
  severity: 'error',
  messages: {
    notInTaskdef:
      '"{{name}}" is not a container of {{taskdef}} ({{where}} has {{names}}); the deploy action fails on a name the task definition lacks: make the names equal',
  },
  summary: 'Every name in imagedefinitions.json is a container of the taskdef beside it.',
  why: "The Amazon ECS deploy action copies the service's task definition and gives each container named in imagedefinitions.json its image; a name the task definition has no container of cannot be given an image, and the deployment fails. CodePipeline's file reference describes the file as the map from the task definition's container names to their image URIs. Checked when the two files are validated together, in one folder.",
  reference: IMAGE_DEFINITIONS_DOCS,
  check({ imagedefinitions, taskdef }) {
    if (imagedefinitions?.value === undefined || taskdef?.value === undefined) return [];
    const names = containerList(taskdef).flatMap((container) => container.name ?? []);
    return imageDefinitions(imagedefinitions.value)
      .filter((entry) => typeof entry.name === 'string' && !names.includes(entry.name))
      .map((entry): RuleHit => ({
        document: 'imagedefinitions',
        path: [...entry.path, 'name'],
        messageId: 'notInTaskdef',
        data: {
          name: String(entry.name),
          taskdef: taskdef.file,
          where: at(taskdef, ['containerDefinitions']),
          names: names.map((name) => `"${name}"`).join(', ') || 'none',
        },
      }));
  },
};
