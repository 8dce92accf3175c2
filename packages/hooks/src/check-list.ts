import type { HookLifecycleEvent } from './api-calls.js';
import { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from './image-tags.js';

/**
 * What each hook checks before it lets a release go on, in words: the
 * checks of checks.ts (checkEveryNode, then protectImage for the
 * production hook), for people — the approval message of a promotion
 * quotes it (infra's release pipeline), so it says what staging proved.
 * The same list for both controllers: the native hooks run these checks
 * behind ECS's contract (native-checks.ts).
 */
export const HOOK_CHECKS: Readonly<Record<HookLifecycleEvent, readonly string[]>> = {
  AfterAllowTestTraffic: [
    'health route on every node (test listener)',
    'page not empty',
    '/version is the commit',
  ],
  AfterAllowTraffic: [
    'health route on every node (HTTPS)',
    'page not empty',
    '/version is the commit',
    `image tagged ${LIVE_IMAGE_TAG} (previous one ${PREVIOUS_IMAGE_TAG})`,
  ],
};
