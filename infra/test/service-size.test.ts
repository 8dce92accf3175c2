import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { describe, it } from 'vitest';
import { stagingConfig, synthesize } from './support.js';

function withTask(cpu: string, memory: string): DeliveryDefinition {
  return { ...webappColor, task: { ...webappColor.task, cpu, memory } };
}

describe('task size from the delivery definition', () => {
  it('creates a task of a larger Fargate size', () => {
    const { app } = synthesize(stagingConfig, withTask('2048', '8192'));
    app.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '8192' });
  });
});
