import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkSource } from '../../../scripts/check-test-oracles';

// The oracle rule's own tests: each case is a small test file's text and the callees the check must report.
const FILE = join(process.cwd(), 'test/unit/domain/example.test.ts');
const IMPORTS = `import { f, g } from '../../../src/domain/x';\nimport * as ns from '../../../server/y';\nimport { h } from 'some-package';\nimport type { T } from '../../../src/domain/t';\n`;

describe('check-test-oracles', () => {
  test.each([
    ['expected from the function under test', 'expect(f(1)).toBe(f(2));', ['f']],
    ['toEqual with a nested call', 'expect(x).toEqual({ a: [g(1)] });', ['g']],
    ['namespace import', 'expect(x).toBe(ns.k(1));', ['ns.k']],
    ['negated matcher', 'expect(x).not.toBe(f(1));', ['f']],
    ['asymmetric matcher', 'expect(x).toEqual(expect.objectContaining({ a: f(1) }));', ['f']],
    ['through a local constant', 'const e = f(1);\nexpect(x).toEqual(e);', ['e = f(...)']],
    ['hand-written value', 'expect(f(1)).toBe(42);', []],
    ['actual side only', 'const r = f(1);\nexpect(r.total).toBe(3);', []],
    ['a package function is not code under test', 'expect(x).toBe(h(1));', []],
    ['annotated on the line', 'expect(f(2)).toBe(f(1)); // oracle: metamorphic', []],
    ['annotated on the line above', '// oracle: a second implementation\nexpect(x).toBe(f(1));', []],
    ['an empty annotation does not count', 'expect(x).toBe(f(1)); // oracle:', ['f']],
    ['a parameter shadowing a computed name', 'const e = f(1);\nfunction t(e: number) { expect(x).toBe(e); }', []],
  ])('%s', (_name, body, callees) => {
    expect(checkSource(FILE, IMPORTS + body).map((f) => f.callee)).toEqual(callees);
  });

  test('reports the line of the expected value', () => {
    expect(checkSource(FILE, `${IMPORTS}\n\nexpect(x).toBe(f(1));`)).toEqual([
      { file: 'test/unit/domain/example.test.ts', line: 7, callee: 'f', text: 'expect(x).toBe(f(1));' },
    ]);
  });
});
