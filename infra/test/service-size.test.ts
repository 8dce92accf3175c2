import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { stagingConfig, synthesize } from './support.js';

function withTask(cpu: string, memory: string): DeliveryDefinition {
  return { ...webappColor, task: { ...webappColor.task, cpu, memory } };
}

describe('delivery definition at the boundary (Fargate pairs from deploy-specs)', () => {
  it('fails when the memory is not allowed with the cpu, listing the memory allowed', () => {
    expect(() => synthesize(stagingConfig, withTask('256', '4096'))).toThrow(
      'task.memory = "4096": Fargate has no task of cpu 256 with memory 4096; for cpu 256 use memory 512, 1024, 2048',
    );
  });

  it('fails when the cpu is not a Fargate size, listing the sizes', () => {
    expect(() => synthesize(stagingConfig, withTask('300', '512'))).toThrow(
      'task.memory = "512": Fargate has no task of cpu 300 with memory 512; for cpu 300 use memory of a valid cpu (256, 512, 1024, 2048, 4096, 8192, 16384)',
    );
  });

  it('creates a task of a larger Fargate size', () => {
    const { app } = synthesize(stagingConfig, withTask('2048', '8192'));
    app.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '8192' });
  });
});
