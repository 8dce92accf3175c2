import {
  EXAMPLE_ECS_RELEASE_VALUES,
  renderEcsRelease,
  webappColor,
} from '@webapp-color/deploy-specs';

/** The files deploy-specs renders for an ecs release, as the build writes them. */
export function renderedRelease(): { taskdef: string; imageDefinitions: string } {
  const rendered = renderEcsRelease(webappColor, EXAMPLE_ECS_RELEASE_VALUES);
  if (rendered.errors.length > 0) throw new Error('the example ecs release is invalid');
  const text = (name: string) => rendered.files.find((file) => file.name === name)!.content;
  return { taskdef: text('taskdef.json'), imageDefinitions: text('imagedefinitions.json') };
}
