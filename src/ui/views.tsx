// Each feature is its own lazy chunk: a nurse's launch never downloads the manager's code.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { FeatureProps } from './featureProps';
import type { ViewId } from './navigation';
import { queryClient } from '../platform/queryClient';
import type { ApiContext } from '../platform/api';

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

/** What a view's data prefetch needs: the app-server handle and the user's role. */
export interface PrefetchContext {
  api: ApiContext;
  role: { role: string; practiceManager?: boolean };
}

/**
 * The data a view shows first, asked for together with its code when the view is chosen, so the two
 * do not wait one for the other (issue 19 point 4: the list overview's first rows).
 */
const PREFETCH: Partial<Record<ViewId, (ctx: PrefetchContext) => Promise<unknown>>> = {
  'list-overview': (ctx) => import('../features/target-groups/api').then((m) => m.prefetchList(queryClient, ctx.api, ctx.role)),
};

export function prefetchViewData(id: ViewId, ctx: PrefetchContext): void {
  void PREFETCH[id]?.(ctx).catch(() => undefined); // the view asks again and shows the error
}
