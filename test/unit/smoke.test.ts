import { expect, test } from 'vitest';
test('runs on Node 22', () => { expect(process.versions.node.split('.')[0]).toBe('22'); });
