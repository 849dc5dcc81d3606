export { LaunchError, isLaunchError, type LaunchErrorCode } from './errors';
export { browserLaunchPort, endedError, loadServerSession, logout, prefetchedUser, takeHandle, HANDLE_HEADER, HANDLE_STORAGE_KEY, type KeyValueStorage, type LaunchPort, type LogoutResult, type SessionPrefetch } from './serverSession';
export { scopeAllows, splitScopes, missingScopes, type Interaction } from './grantedScopes';
