import { hasItems, mappingAt } from '../../access/node.js';
import { volumes } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers, task } from './task.js';

/**
 * What the Fargate considerations page lists as not valid (or not supported)
 * on Fargate, as far as a value of it can only mean the unsupported setting.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-task-defs
 */
export const FARGATE_TASK_DEFS =
  'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-task-defs';

/** Container fields Fargate refuses when set; each is the id of its message. */
const CONTAINER_FIELDS = [
  'dnsServers',
  'dnsSearchDomains',
  'extraHosts',
  'dockerSecurityOptions',
] as const;

// All four are lists; an empty one sets nothing, so only a non-empty one is reported (hasItems).

export const taskdefFargateUnsupported = documentRule(
  {
    id: 'TASKDEF_FARGATE_UNSUPPORTED',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      ipcMode: 'Fargate does not support ipcMode ({{value}}); remove it',
      pidModeHost:
        'Fargate does not support pidMode "host"; remove it, or use "task" to share one process namespace among the containers of the task (platform version 1.4.0 or later)',
      hostSourcePath:
        'Fargate does not support a host sourcePath ({{value}}): there is no host to mount from; remove sourcePath to get a bind mount on task storage, or use an EFS volume (efsVolumeConfiguration)',
      dockerVolume:
        'Fargate does not support Docker volumes (dockerVolumeConfiguration); use a bind mount (a volume with only a name) or an EFS volume (efsVolumeConfiguration)',
      privileged:
        'Fargate does not support privileged containers; remove "privileged" (linuxParameters.capabilities.add may grant SYS_PTRACE)',
      disableNetworking:
        'Fargate does not support disableNetworking; remove it (every Fargate task has awsvpc networking)',
      dnsServers:
        'Fargate does not support dnsServers; remove it (the task uses the DNS of its VPC)',
      dnsSearchDomains:
        'Fargate does not support dnsSearchDomains; remove it (the task uses the DNS of its VPC)',
      extraHosts:
        'Fargate does not support extraHosts; remove it (name the host in the DNS of the VPC, e.g. a Route 53 private zone)',
      dockerSecurityOptions:
        'Fargate does not support dockerSecurityOptions; remove it (Fargate sets the security options; linuxParameters.capabilities adjusts capabilities)',
    },
    summary:
      'A Fargate task uses no setting Fargate refuses: ipcMode, pidMode host, privileged, host sourcePath or Docker volumes, DNS and extra-host settings, disableNetworking.',
    why: 'Fargate runs each task on its own micro-VM without access to a host: the considerations page lists ipcMode, pidMode, privileged, disableNetworking, dnsServers, dnsSearchDomains, extraHosts and dockerSecurityOptions as not valid in Fargate tasks, and its volumes only as bind mounts without sourcePath and without dockerVolumeConfiguration. pidMode "task" is accepted from platform version 1.4.0 on. RegisterTaskDefinition refuses a task definition that requires FARGATE and uses them.',
    reference: FARGATE_TASK_DEFS,
  },
  (document) => {
    const taskdef = task(document);
    if (!taskdef?.fargate) return [];
    const { ipcMode, pidMode } = taskdef.fields;
    const hits: RuleHit[] = [];
    const refuse = (path: (string | number)[], messageId: string, value?: unknown) =>
      hits.push({
        path,
        at: 'key',
        messageId,
        ...(value !== undefined && { data: { value: JSON.stringify(value) } }),
      });
    if (ipcMode !== undefined) refuse(['ipcMode'], 'ipcMode', ipcMode);
    if (pidMode === 'host') refuse(['pidMode'], 'pidModeHost');
    for (const volume of volumes(taskdef)) {
      const host = mappingAt(volume, 'host');
      if (host !== undefined && host.fields.sourcePath !== undefined)
        refuse([...host.path, 'sourcePath'], 'hostSourcePath', host.fields.sourcePath);
      if (volume.fields.dockerVolumeConfiguration !== undefined)
        refuse([...volume.path, 'dockerVolumeConfiguration'], 'dockerVolume');
    }
    for (const container of containers(document)) {
      if (container.fields.privileged === true)
        refuse([...container.path, 'privileged'], 'privileged');
      if (container.fields.disableNetworking === true)
        refuse([...container.path, 'disableNetworking'], 'disableNetworking');
      for (const field of CONTAINER_FIELDS) {
        if (hasItems(container, field)) refuse([...container.path, field], field);
      }
    }
    return hits;
  },
);
