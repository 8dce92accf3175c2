import * as z from 'zod';

// Field names, types, enums and required members follow the ECS
// RegisterTaskDefinition request (API version 2014-11-13). A test checks the
// inferred type against the AWS SDK's RegisterTaskDefinitionCommandInput.

const int = (description: string) => z.number().int().describe(description);
const str = (description: string) => z.string().describe(description);
const bool = (description: string) => z.boolean().describe(description);
const strings = (description: string) => z.array(z.string()).describe(description);
const stringMap = (description: string) => z.record(z.string(), z.string()).describe(description);

export const KeyValuePairSchema = z
  .strictObject({
    name: str('The name.').optional(),
    value: str('The value; quote a number or true/false.').optional(),
  })
  .describe('A name/value pair.');

export const SecretSchema = z
  .strictObject({
    name: str('The environment variable (or log option) that receives the secret.'),
    valueFrom: str('The Secrets Manager secret or SSM parameter ARN (or name) to read.'),
  })
  .describe('A secret injected into the container.');

export const PortMappingSchema = z
  .strictObject({
    containerPort: int('The port the container listens on.').min(0).max(65535).optional(),
    hostPort: int('The host port; with awsvpc it must be absent or equal to containerPort.')
      .min(0)
      .max(65535)
      .optional(),
    protocol: z.enum(['tcp', 'udp']).optional().describe('tcp (default) or udp.'),
    name: str('A name for Service Connect.').optional(),
    appProtocol: z
      .enum(['http', 'http2', 'grpc'])
      .optional()
      .describe('The application protocol for Service Connect.'),
    containerPortRange: str(
      'A port range such as 8000-8010 (instead of containerPort).',
    ).optional(),
  })
  .describe('A port the container exposes.');

export const LogConfigurationSchema = z
  .strictObject({
    logDriver: z
      .enum([
        'awslogs',
        'awsfirelens',
        'fluentd',
        'gelf',
        'journald',
        'json-file',
        'splunk',
        'syslog',
      ])
      .describe('The log driver; Fargate supports awslogs, awsfirelens and splunk.'),
    options: stringMap(
      'Options of the log driver, e.g. awslogs-group, awslogs-region, awslogs-stream-prefix.',
    ).optional(),
    secretOptions: z.array(SecretSchema).optional().describe('Secrets passed to the log driver.'),
  })
  .describe('Where the container logs go.');

export const HealthCheckSchema = z
  .strictObject({
    command: z
      .array(z.string())
      .min(1)
      .describe('["CMD", exe, args…] or ["CMD-SHELL", "command"]; exit code 0 means healthy.'),
    interval: int('Seconds between checks (5-300, default 30).').min(5).max(300).optional(),
    timeout: int('Seconds a check may take (2-120, default 5).').min(2).max(120).optional(),
    retries: int('Failures in a row before the container is unhealthy (1-10, default 3).')
      .min(1)
      .max(10)
      .optional(),
    startPeriod: int('Grace seconds after start during which failures do not count (0-300).')
      .min(0)
      .max(300)
      .optional(),
  })
  .describe("The container's health check (Docker HEALTHCHECK).");

export const KernelCapabilitiesSchema = z
  .strictObject({
    add: strings('Linux capabilities to add (Fargate allows only SYS_PTRACE).').optional(),
    drop: strings('Linux capabilities to drop.').optional(),
  })
  .describe('Linux capabilities of the container.');

export const DeviceSchema = z
  .strictObject({
    hostPath: str('The path of the device on the host.'),
    containerPath: str('The path of the device in the container.').optional(),
    permissions: z
      .array(z.enum(['read', 'write', 'mknod']))
      .optional()
      .describe('cgroup permissions: read, write, mknod.'),
  })
  .describe('A host device exposed to the container.');

export const TmpfsSchema = z
  .strictObject({
    containerPath: str('Where the tmpfs is mounted.'),
    size: int('The size in MiB.'),
    mountOptions: strings('Mount options of the tmpfs.').optional(),
  })
  .describe('A tmpfs mount (not on Fargate).');

export const LinuxParametersSchema = z
  .strictObject({
    capabilities: KernelCapabilitiesSchema.optional(),
    devices: z.array(DeviceSchema).optional().describe('Host devices (not on Fargate).'),
    initProcessEnabled: bool(
      'Whether an init process runs as PID 1 and forwards signals.',
    ).optional(),
    sharedMemorySize: int('Size of /dev/shm in MiB (not on Fargate).').optional(),
    tmpfs: z.array(TmpfsSchema).optional().describe('tmpfs mounts (not on Fargate).'),
    maxSwap: int('Swap in MiB the container may use (not on Fargate).').optional(),
    swappiness: int('Swappiness 0-100 (not on Fargate).').min(0).max(100).optional(),
  })
  .describe('Linux-specific settings of the container.');

export const MountPointSchema = z
  .strictObject({
    sourceVolume: str('The name of a volume of the task definition.').optional(),
    containerPath: str('Where the volume is mounted in the container.').optional(),
    readOnly: bool('Whether the container may only read the volume.').optional(),
  })
  .describe('A task volume mounted into the container.');

export const VolumeFromSchema = z
  .strictObject({
    sourceContainer: str('The container whose volumes are mounted.').optional(),
    readOnly: bool('Whether the volumes are read-only.').optional(),
  })
  .describe('Volumes mounted from another container.');

export const ContainerDependencySchema = z
  .strictObject({
    containerName: str('The container depended on.'),
    condition: z
      .enum(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'])
      .describe('START, COMPLETE, SUCCESS or HEALTHY.'),
  })
  .describe('A container that must reach a condition before this one starts.');

export const HostEntrySchema = z
  .strictObject({
    hostname: str('The host name.'),
    ipAddress: str('Its IP address.'),
  })
  .describe('An /etc/hosts entry (not with awsvpc).');

export const UlimitSchema = z
  .strictObject({
    name: z
      .enum([
        'core',
        'cpu',
        'data',
        'fsize',
        'locks',
        'memlock',
        'msgqueue',
        'nice',
        'nofile',
        'nproc',
        'rss',
        'rtprio',
        'rttime',
        'sigpending',
        'stack',
      ])
      .describe('The ulimit name.'),
    softLimit: int('The soft limit.'),
    hardLimit: int('The hard limit.'),
  })
  .describe('A ulimit of the container.');

export const SystemControlSchema = z
  .strictObject({
    namespace: str('The kernel parameter, e.g. net.ipv4.tcp_keepalive_time.').optional(),
    value: str('Its value.').optional(),
  })
  .describe('A namespaced kernel parameter.');

export const ResourceRequirementSchema = z
  .strictObject({
    value: str('The amount (GPU count) or the accelerator device name.').optional(),
    type: z.enum(['GPU', 'InferenceAccelerator', 'NeuronDevice']).describe('The resource type.'),
    sharingStrategy: z
      .strictObject({
        nvidiaMps: z
          .strictObject({
            memory: int('GPU memory in MiB for this container.'),
            maxComputePercent: int('Share of GPU compute in percent.').optional(),
          })
          .describe('NVIDIA MPS sharing.'),
      })
      .optional()
      .describe('How the container shares a GPU.'),
  })
  .describe('A GPU or accelerator the container needs.');

export const FirelensConfigurationSchema = z
  .strictObject({
    type: z.enum(['fluentd', 'fluentbit']).describe('fluentd or fluentbit.'),
    options: stringMap('FireLens options.').optional(),
  })
  .describe('FireLens log router settings.');

export const RepositoryCredentialsSchema = z
  .strictObject({
    credentialsParameter: str(
      'The Secrets Manager secret ARN holding private registry credentials.',
    ),
  })
  .describe('Credentials for a private registry.');

export const ContainerRestartPolicySchema = z
  .strictObject({
    enabled: bool('Whether ECS restarts the container when it exits.'),
    ignoredExitCodes: z
      .array(z.number().int())
      .optional()
      .describe('Exit codes that do not restart it.'),
    restartAttemptPeriod: int(
      'Seconds it must run before a restart is attempted (60-1800).',
    ).optional(),
  })
  .describe('Restart policy of the container.');

export const EnvironmentFileSchema = z
  .strictObject({
    value: str('The S3 object ARN of the .env file.'),
    type: z.literal('s3').describe('Always s3.'),
  })
  .describe('A file of environment variables in S3.');

/**
 * One container of a task definition. Fields like `portMappings`,
 * `mountPoints`, `healthCheck` and `logConfiguration` live here, not at task level.
 */
export const ContainerDefinitionSchema = z
  .strictObject({
    name: str(
      'The container name; the AppSpec LoadBalancerInfo.ContainerName refers to it.',
    ).optional(),
    image: str(
      'The image: <IMAGE1_NAME> (CodeDeployToECS fills it) or a full URI repository-url/image:tag or @digest.',
    ).optional(),
    repositoryCredentials: RepositoryCredentialsSchema.optional(),
    cpu: int('CPU units reserved for the container.').optional(),
    memory: int('Hard memory limit of the container in MiB.').optional(),
    memoryReservation: int('Soft memory limit of the container in MiB.').optional(),
    links: strings('Legacy links (bridge mode only).').optional(),
    portMappings: z.array(PortMappingSchema).optional().describe('Ports the container exposes.'),
    essential: bool('Whether the task stops when this container stops (default true).').optional(),
    restartPolicy: ContainerRestartPolicySchema.optional(),
    entryPoint: strings('Overrides the image ENTRYPOINT.').optional(),
    command: strings('Overrides the image CMD.').optional(),
    environment: z
      .array(KeyValuePairSchema)
      .optional()
      .describe('Plain environment variables as {name, value} pairs.'),
    environmentFiles: z
      .array(EnvironmentFileSchema)
      .optional()
      .describe('Environment files in S3.'),
    mountPoints: z
      .array(MountPointSchema)
      .optional()
      .describe('Volumes mounted into this container.'),
    volumesFrom: z
      .array(VolumeFromSchema)
      .optional()
      .describe('Volumes mounted from other containers.'),
    linuxParameters: LinuxParametersSchema.optional(),
    secrets: z.array(SecretSchema).optional().describe('Secrets exposed as environment variables.'),
    dependsOn: z.array(ContainerDependencySchema).optional().describe('Start-up dependencies.'),
    startTimeout: int('Seconds to wait for dependencies before giving up.').optional(),
    stopTimeout: int('Seconds between SIGTERM and SIGKILL (Fargate maximum 120).').optional(),
    versionConsistency: z
      .enum(['enabled', 'disabled'])
      .optional()
      .describe('Whether the image tag is resolved to a digest at deployment.'),
    hostname: str('The host name (not with awsvpc).').optional(),
    user: str('The user (uid, uid:gid, name) the container runs as.').optional(),
    workingDirectory: str('The working directory.').optional(),
    disableNetworking: bool('Whether networking is off.').optional(),
    privileged: bool('Whether the container is privileged (not on Fargate).').optional(),
    readonlyRootFilesystem: bool('Whether the root filesystem is read-only.').optional(),
    dnsServers: strings('DNS servers (not with awsvpc).').optional(),
    dnsSearchDomains: strings('DNS search domains (not with awsvpc).').optional(),
    extraHosts: z
      .array(HostEntrySchema)
      .optional()
      .describe('/etc/hosts entries (not with awsvpc).'),
    dockerSecurityOptions: strings('SELinux/AppArmor labels (not on Fargate).').optional(),
    interactive: bool('docker run -i.').optional(),
    pseudoTerminal: bool('docker run -t.').optional(),
    dockerLabels: stringMap('Docker labels.').optional(),
    ulimits: z.array(UlimitSchema).optional().describe('ulimits of the container.'),
    logConfiguration: LogConfigurationSchema.optional(),
    healthCheck: HealthCheckSchema.optional(),
    systemControls: z.array(SystemControlSchema).optional().describe('Kernel parameters.'),
    resourceRequirements: z
      .array(ResourceRequirementSchema)
      .optional()
      .describe('GPUs or accelerators.'),
    firelensConfiguration: FirelensConfigurationSchema.optional(),
    credentialSpecs: strings('Active Directory credential specs (Windows/gMSA).').optional(),
  })
  .describe('A container of the task.');

export const HostVolumePropertiesSchema = z
  .strictObject({
    sourcePath: str('The host path (not on Fargate).').optional(),
  })
  .describe('A bind mount from the host.');

export const DockerVolumeConfigurationSchema = z
  .strictObject({
    scope: z.enum(['task', 'shared']).optional().describe('task or shared.'),
    autoprovision: bool('Whether a shared volume is created when missing.').optional(),
    driver: str('The Docker volume driver.').optional(),
    driverOpts: stringMap('Driver options.').optional(),
    labels: stringMap('Volume labels.').optional(),
  })
  .describe('A Docker volume (not on Fargate).');

export const EfsVolumeConfigurationSchema = z
  .strictObject({
    fileSystemId: str('The EFS file system id.'),
    rootDirectory: str('The directory of the file system that is mounted.').optional(),
    transitEncryption: z.enum(['ENABLED', 'DISABLED']).optional().describe('ENABLED or DISABLED.'),
    transitEncryptionPort: int('The port of the encrypted connection.').optional(),
    authorizationConfig: z
      .strictObject({
        accessPointId: str('The EFS access point id.').optional(),
        iam: z.enum(['ENABLED', 'DISABLED']).optional().describe('Whether the task role is used.'),
      })
      .optional()
      .describe('EFS authorization.'),
  })
  .describe('An Amazon EFS volume.');

export const S3FilesVolumeConfigurationSchema = z
  .strictObject({
    fileSystemArn: str('The S3 Files file system ARN.'),
    rootDirectory: str('The directory that is mounted.').optional(),
    transitEncryptionPort: int('The port of the encrypted connection.').optional(),
    accessPointArn: str('The access point ARN.').optional(),
  })
  .describe('An S3 Files volume.');

export const FsxWindowsFileServerVolumeConfigurationSchema = z
  .strictObject({
    fileSystemId: str('The FSx for Windows File Server file system id.'),
    rootDirectory: str('The directory that is mounted.'),
    authorizationConfig: z
      .strictObject({
        credentialsParameter: str('The secret or parameter ARN with the credentials.'),
        domain: str('The fully qualified domain name.'),
      })
      .describe('FSx authorization.'),
  })
  .describe('An FSx for Windows File Server volume.');

export const VolumeSchema = z
  .strictObject({
    name: str('The volume name that mountPoints.sourceVolume refers to.').optional(),
    host: HostVolumePropertiesSchema.optional(),
    dockerVolumeConfiguration: DockerVolumeConfigurationSchema.optional(),
    efsVolumeConfiguration: EfsVolumeConfigurationSchema.optional(),
    s3filesVolumeConfiguration: S3FilesVolumeConfigurationSchema.optional(),
    fsxWindowsFileServerVolumeConfiguration:
      FsxWindowsFileServerVolumeConfigurationSchema.optional(),
    configuredAtLaunch: bool(
      'Whether the volume is configured when the task or service starts.',
    ).optional(),
  })
  .describe('A data volume of the task.');

export const TaskDefinitionPlacementConstraintSchema = z
  .strictObject({
    type: z.literal('memberOf').optional().describe('Always memberOf.'),
    expression: str('A cluster query language expression.').optional(),
  })
  .describe('A placement constraint (not on Fargate).');

export const ProxyConfigurationSchema = z
  .strictObject({
    type: z.literal('APPMESH').optional().describe('Always APPMESH.'),
    containerName: str('The proxy container.'),
    properties: z.array(KeyValuePairSchema).optional().describe('Proxy settings.'),
  })
  .describe('App Mesh proxy settings.');

export const InferenceAcceleratorSchema = z
  .strictObject({
    deviceName: str('The device name that resourceRequirements refer to.'),
    deviceType: str('The Elastic Inference accelerator type.'),
  })
  .describe('An Elastic Inference accelerator.');

export const EphemeralStorageSchema = z
  .strictObject({
    sizeInGiB: int('Ephemeral storage of the task in GiB (21-200).').min(21).max(200),
  })
  .describe('Ephemeral storage of a Fargate task beyond the default 20 GiB.');

export const RuntimePlatformSchema = z
  .strictObject({
    cpuArchitecture: z.enum(['X86_64', 'ARM64']).optional().describe('X86_64 or ARM64.'),
    operatingSystemFamily: z
      .enum([
        'LINUX',
        'WINDOWS_SERVER_2004_CORE',
        'WINDOWS_SERVER_2016_FULL',
        'WINDOWS_SERVER_2019_CORE',
        'WINDOWS_SERVER_2019_FULL',
        'WINDOWS_SERVER_2022_CORE',
        'WINDOWS_SERVER_2022_FULL',
        'WINDOWS_SERVER_2025_CORE',
        'WINDOWS_SERVER_2025_FULL',
        'WINDOWS_SERVER_20H2_CORE',
      ])
      .optional()
      .describe('The operating system family.'),
  })
  .describe('The platform the task runs on.');

export const TagSchema = z
  .strictObject({
    key: str('The tag key.').optional(),
    value: str('The tag value.').optional(),
  })
  .describe('A tag.');

/** Fields that belong to a container definition; at task level ECS ignores or rejects them. */
export const CONTAINER_LEVEL_FIELDS: readonly string[] = Object.keys(
  ContainerDefinitionSchema.shape,
).filter((name) => !['cpu', 'memory'].includes(name));

/**
 * A task definition exactly as ECS `RegisterTaskDefinition` takes it
 * (what CodeDeployToECS reads from taskdef.json).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
 */
export const TaskDefinitionSchema = z
  .strictObject({
    family: str(
      'The task definition family, revisions are registered under it: up to 255 letters, numbers, underscores and hyphens (a name, not an ARN).',
    )
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9_-]+$/),
    taskRoleArn: str('The IAM role the containers use to call AWS.').optional(),
    executionRoleArn: str('The IAM role ECS uses to pull the image and write logs.').optional(),
    networkMode: z
      .enum(['bridge', 'host', 'awsvpc', 'none'])
      .optional()
      .describe('The Docker network mode; Fargate requires awsvpc.'),
    containerDefinitions: z
      .array(ContainerDefinitionSchema)
      .describe('The containers of the task.'),
    volumes: z.array(VolumeSchema).optional().describe('Data volumes of the task.'),
    placementConstraints: z
      .array(TaskDefinitionPlacementConstraintSchema)
      .optional()
      .describe('Placement constraints (not on Fargate).'),
    requiresCompatibilities: z
      .array(z.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']))
      .optional()
      .describe('Launch types the task definition is validated against, e.g. ["FARGATE"].'),
    cpu: str('Task CPU units as a string, e.g. "256" or "1 vCPU"; Fargate requires it.').optional(),
    memory: str(
      'Task memory in MiB as a string, e.g. "512" or "1 GB"; Fargate requires it.',
    ).optional(),
    tags: z.array(TagSchema).optional().describe('Tags of the task definition.'),
    pidMode: z.enum(['host', 'task']).optional().describe('The process namespace: host or task.'),
    ipcMode: z
      .enum(['host', 'task', 'none'])
      .optional()
      .describe('The IPC namespace: host, task or none.'),
    proxyConfiguration: ProxyConfigurationSchema.optional(),
    inferenceAccelerators: z
      .array(InferenceAcceleratorSchema)
      .optional()
      .describe('Elastic Inference accelerators.'),
    ephemeralStorage: EphemeralStorageSchema.optional(),
    runtimePlatform: RuntimePlatformSchema.optional(),
    enableFaultInjection: bool('Whether fault injection is enabled.').optional(),
  })
  .describe(
    'ECS task definition as the RegisterTaskDefinition API takes it. See https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
  );

export type TaskDefinition = z.infer<typeof TaskDefinitionSchema>;
export type TaskContainerDefinition = z.infer<typeof ContainerDefinitionSchema>;
