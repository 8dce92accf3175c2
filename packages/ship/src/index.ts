export { ship, ShipError, RELEASE_TAG_KEY, type ShipOptions, type ShipResult } from './ship.js';
export {
  parseEcsRelease,
  readEcsRelease,
  ReleaseFileError,
  TASKDEF_FILE,
  IMAGE_DEFINITIONS_FILE,
  type EcsRelease,
} from './release-files.js';
export { main, SHIP_ENVIRONMENT, type MainIo } from './main.js';
export { assumedRoleCredentials, SHIP_ROLE_VARIABLE } from './credentials.js';
export {
  SHIP_API_CALLS,
  SHIP_ASSUME_ROLE_CALL,
  SHIP_IMPLIED_PERMISSIONS,
  type ShipApiCall,
  type ShipScope,
} from './api-calls.js';
