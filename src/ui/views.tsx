// Each feature is its own lazy chunk: a nurse's launch never downloads the manager's code.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FeatureProps } from './featureProps';
import type { ViewId } from './navigation';

export const FEATURE_VIEWS: Record<ViewId, LazyExoticComponent<ComponentType<FeatureProps>>> = {
  'patient-panel': lazy(() => import('../features/patient-panel')),
  inbox: lazy(() => import('../features/inbox')),
  worklist: lazy(() => import('../features/worklist')),
  outreach: lazy(() => import('../features/outreach')),
  manager: lazy(() => import('../features/manager')),
  'list-overview': lazy(() => import('../features/list-overview')),
};
