import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The files of an `ecs` release the shipping program reads (rendered by `deploy-specs render`). */
export const TASKDEF_FILE = 'taskdef.json';
export const IMAGE_DEFINITIONS_FILE = 'imagedefinitions.json';

/** An image named by digest, as the release build writes it: `<repository>@sha256:<64 hex>`. */
const IMAGE_BY_DIGEST = /^[a-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;

/** A release file that cannot be shipped: the file, the field, what it holds and what is allowed. */
export class ReleaseFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ReleaseFileError';
  }
}

/** The parts of a task definition the program reads; the rest is passed to ECS as written. */
export interface ReleaseTaskDefinition {
  readonly family: string;
  readonly containerDefinitions: readonly { readonly name: string; readonly image: string }[];
  readonly [field: string]: unknown;
}

/** An `ecs` release, read and checked. */
export interface EcsRelease {
  /** taskdef.json as RegisterTaskDefinition takes it. */
  readonly taskDefinition: ReleaseTaskDefinition;
  /** sha256 of taskdef.json's bytes: what makes two releases the same. */
  readonly sha256: string;
  /** Container name → image (by digest). */
  readonly images: ReadonlyMap<string, string>;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ReleaseFileError(file, `is not JSON (${(error as Error).message})`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the two files of a release against each other and returns the task
 * definition to register: every container's image by digest, and
 * imagedefinitions.json giving each container exactly that image.
 */
export function parseEcsRelease(taskdefText: string, imageDefinitionsText: string): EcsRelease {
  const taskdef = parseJson(TASKDEF_FILE, taskdefText);
  if (!isObject(taskdef)) {
    throw new ReleaseFileError(TASKDEF_FILE, 'is not a JSON object (a task definition)');
  }
  if (typeof taskdef.family !== 'string' || taskdef.family.trim() === '') {
    throw new ReleaseFileError(
      TASKDEF_FILE,
      `family is ${JSON.stringify(taskdef.family)}; expected the task-definition family (a non-empty string)`,
    );
  }
  const containers = taskdef.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ReleaseFileError(
      TASKDEF_FILE,
      `containerDefinitions is ${JSON.stringify(containers)}; expected a non-empty list of containers`,
    );
  }
  const images = new Map<string, string>();
  containers.forEach((container: unknown, index) => {
    const where = `containerDefinitions[${index}]`;
    if (!isObject(container) || typeof container.name !== 'string' || container.name === '') {
      throw new ReleaseFileError(
        TASKDEF_FILE,
        `${where}.name is missing; expected a container name`,
      );
    }
    if (typeof container.image !== 'string' || !IMAGE_BY_DIGEST.test(container.image)) {
      throw new ReleaseFileError(
        TASKDEF_FILE,
        `${where}.image is ${JSON.stringify(container.image)}; expected an image by digest (<repository>@sha256:<64 hex digits>), as the release build renders it for an ecs environment`,
      );
    }
    images.set(container.name, container.image);
  });

  const definitions = parseJson(IMAGE_DEFINITIONS_FILE, imageDefinitionsText);
  if (!Array.isArray(definitions) || definitions.length === 0) {
    throw new ReleaseFileError(
      IMAGE_DEFINITIONS_FILE,
      'is not a non-empty JSON list of { "name", "imageUri" } entries',
    );
  }
  definitions.forEach((entry: unknown, index) => {
    const where = `[${index}]`;
    if (!isObject(entry) || typeof entry.name !== 'string') {
      throw new ReleaseFileError(IMAGE_DEFINITIONS_FILE, `${where}.name is missing`);
    }
    const image = images.get(entry.name);
    if (image === undefined) {
      throw new ReleaseFileError(
        IMAGE_DEFINITIONS_FILE,
        `${where}.name "${entry.name}" is not a container of ${TASKDEF_FILE} (it has ${[...images.keys()].map((name) => `"${name}"`).join(', ')})`,
      );
    }
    if (entry.imageUri !== image) {
      throw new ReleaseFileError(
        IMAGE_DEFINITIONS_FILE,
        `${where}.imageUri is ${JSON.stringify(entry.imageUri)}, but ${TASKDEF_FILE} gives container "${entry.name}" ${image}; both are rendered from one build and must agree`,
      );
    }
  });

  return {
    taskDefinition: taskdef as unknown as ReleaseTaskDefinition,
    sha256: createHash('sha256').update(taskdefText).digest('hex'),
    images,
  };
}

/** Reads and checks the release files in a folder (the Deploy action's input artifact). */
export async function readEcsRelease(directory: string): Promise<EcsRelease> {
  const read = async (file: string): Promise<string> => {
    try {
      return await readFile(join(directory, file), 'utf8');
    } catch (error) {
      throw new ReleaseFileError(
        file,
        `cannot be read in ${directory} (${(error as NodeJS.ErrnoException).code ?? String(error)}); the build output of an ecs environment holds it`,
      );
    }
  };
  return parseEcsRelease(await read(TASKDEF_FILE), await read(IMAGE_DEFINITIONS_FILE));
}
