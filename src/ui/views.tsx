// Each feature is its own lazy chunk: a nurse's launch never downloads the manager's code.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FeatureProps } from './featureProps';
import type { ViewId } from './navigation';

type Loader = () => Promise<{ default: ComponentType<FeatureProps> }>;

const LOADERS: Record<ViewId, Loader> = {
  'patient-panel': () => import('../features/patient-panel'),
  inbox: () => import('../features/inbox'),
  worklist: () => import('../features/worklist'),
  outreach: () => import('../features/outreach'),
  manager: () => import('../features/manager'),
  'list-overview': () => import('../features/list-overview'),
  'my-tasks': () => import('../features/my-tasks'),
  recall: () => import('../features/care/Recall'),
  'group-session': () => import('../features/contact-copay/GroupSessionView'),
};

export const FEATURE_VIEWS = Object.fromEntries(
  Object.entries(LOADERS).map(([id, load]) => [id, lazy(load)]),
) as Record<ViewId, LazyExoticComponent<ComponentType<FeatureProps>>>;

/**
 * Starts downloading a view's chunk while the launch still reads the user and the patient, so the
 * patient panel's own reads are not held back by its code (issue "Performance", launch path).
 */
export function preloadView(id: ViewId): void {
  void LOADERS[id]().catch(() => undefined); // a failed preload is retried by React.lazy on render
}
