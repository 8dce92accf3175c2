import { Stack, type StackProps } from 'aws-cdk-lib';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../../config/index.js';
import { ImageRepository } from '../constructs/release-storage.js';

export interface StatefulStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly definition: DeliveryDefinition;
  /** A fixed repository name (a promoted environment, config/names.ts). @default generated */
  readonly repositoryName?: string;
  /** The promoting pipeline's build role, when it is in another account. */
  readonly pushFrom?: string;
}

/** The stateful part kept apart from everything that gets replaced: the image repository. */
export class StatefulStack extends Stack {
  readonly images: ImageRepository;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { retention } = props.config;
    this.images = new ImageRepository(this, 'Images', {
      imagesKept: retention.imagesKept,
      untaggedImageDays: retention.untaggedImageDays,
      cacheImageTag: props.definition.build.cacheImageTag,
      repositoryName: props.repositoryName,
      pushFrom: props.pushFrom,
    });
  }
}
