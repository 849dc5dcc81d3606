// For component tests in a DOM (happy-dom; the file starts with `// @vitest-environment happy-dom`):
// Testing Library's matchers (toBeInTheDocument, toBeDisabled, ...) and an unmount after every test.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(cleanup);

// Designsystemet's Spinner synchronises its animation with document.getAnimations(), which happy-dom (like
// jsdom) does not implement: no animations run in a test DOM, so the honest answer is none.
if (typeof document !== 'undefined' && typeof document.getAnimations !== 'function') {
  Object.defineProperty(document, 'getAnimations', { value: () => [], configurable: true });
}
