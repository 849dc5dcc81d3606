export { LaunchError, isLaunchError, type LaunchErrorCode } from './errors';
export { browserLaunchPort, loadServerSession, takeHandle, HANDLE_HEADER, type KeyValueStorage, type LaunchPort } from './serverSession';
export { scopeAllows, splitScopes, missingScopes, type Interaction } from './grantedScopes';
