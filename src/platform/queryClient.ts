// The browser's one TanStack Query client (loading, caching, cancellation of app-server data; issue 15).
// Stores that load outside React read cached server state through it.
import { QueryClient } from '@tanstack/react-query';

export const queryClient = new QueryClient({
  defaultOptions: {
    // One retry for a dropped connection; a refusal (4xx) is not retried.
    queries: { retry: (count, error) => count < 1 && !(error && 'status' in error && typeof error.status === 'number' && error.status >= 400) },
  },
});
