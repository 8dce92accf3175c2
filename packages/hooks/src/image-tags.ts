/**
 * The tags the AfterAllowTraffic hook moves once production serves a
 * release: `live` onto the image production runs, `previous` onto the one
 * it ran before (the rollback target). The repository's lifecycle matches
 * them before it counts release images, so neither image ever expires, and
 * its tag immutability excludes them, so they can move.
 */
export const LIVE_IMAGE_TAG = 'live';
export const PREVIOUS_IMAGE_TAG = 'previous';
