import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { stagingConfig, synthesize } from './support.js';

function withTask(cpu: string, memory: string): DeliveryDefinition {
  return { ...webappColor, task: { ...webappColor.task, cpu, memory } };
}

describe('Service task size (Fargate pairs from deploy-specs)', () => {
  it('fails when the memory is not allowed with the cpu, listing the memory allowed', () => {
    expect(() => synthesize(stagingConfig, withTask('256', '4096'))).toThrow(
      'Service: task.memory 4096 is not valid with task.cpu 256 on Fargate; allowed: 512, 1024, 2048',
    );
  });

  it('fails when the cpu is not a Fargate size, listing the sizes', () => {
    expect(() => synthesize(stagingConfig, withTask('300', '512'))).toThrow(
      'Service: task.cpu 300 is not a Fargate size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384',
    );
  });

  it('creates a task of a larger Fargate size', () => {
    const { app } = synthesize(stagingConfig, withTask('2048', '8192'));
    app.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '8192' });
  });
});
