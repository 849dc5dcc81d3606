export { appLaunchConfig, redirectUriFor, scopesFor, type LaunchConfig } from './config';
export { completeLaunch, launchStepFor, startLaunch, type LaunchStep, type StartLaunchInput } from './launch';
export { LaunchError, isLaunchError, type LaunchErrorCode } from './errors';
export { browserLaunchPort, memoryStorage, type KeyValueStorage, type LaunchPort } from './port';
export { scopeAllows, splitScopes, missingScopes, type Interaction } from './grantedScopes';
