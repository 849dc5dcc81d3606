export { LaunchError, isLaunchError, type LaunchErrorCode } from './errors';
export { browserLaunchPort, endedError, loadServerSession, logout, takeHandle, HANDLE_HEADER, HANDLE_STORAGE_KEY, type KeyValueStorage, type LaunchPort, type LogoutResult } from './serverSession';
export { scopeAllows, splitScopes, missingScopes, type Interaction } from './grantedScopes';
