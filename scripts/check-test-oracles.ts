// The oracle rule, checked (issue 13, point 3): a test must not compute its expected value with the code it
// tests. This check fails when the expected side of an assertion in a test file under test/ (the arguments of
// the matcher in `expect(actual).toBe(...)`, `.toEqual(...)`, `.toStrictEqual(...)` and every other matcher,
// asymmetric matchers included) calls a function imported from src/ or server/, directly (`toEqual(f(x))`,
// `toBe(ns.f(x))`) or through a local constant (`const expected = f(x); ... toEqual(expected)`).
// Expected values are written by hand from SPEC's tables and worked examples. An independent oracle (the seed
// generator's own plan, a second implementation such as the Easter computus, a metamorphic property such as
// "the order of the input does not matter") is allowed with an explicit comment `// oracle: <why>` on the line
// of the assertion or on the line above it.
// Uses the TypeScript compiler's parser (syntax only: fast, no type-check). Run: `npm run check:oracles`; part
// of `npm run lint` and of `npm test`'s checks step.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_DIRS = ['src', 'server'].map((d) => join(ROOT, d) + sep);

/**
 * Files that still break the rule and that another change is rewriting now (issue 13): reported, but they do not
 * fail the check. Remove a line when its file is fixed; the check says when a line is no longer needed.
 */
const PENDING: Record<string, string> = {
};

export interface Finding {
  file: string;
  line: number;
  callee: string;
  text: string;
}

/** The test files: every *.test.ts / *.test.tsx under test/. */
export function testFiles(dir = join(ROOT, 'test')): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Names bound by value imports from src/ or server/: plain names, and namespace/default names (`ns.f`). */
function codeImports(sf: ts.SourceFile, fileName: string): { names: Set<string>; namespaces: Set<string> } {
  const names = new Set<string>();
  const namespaces = new Set<string>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    const spec = stmt.moduleSpecifier.text;
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(fileName), spec);
    if (!CODE_DIRS.some((d) => (target + sep).startsWith(d))) continue;
    const clause = stmt.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name) {
      names.add(clause.name.text);
      namespaces.add(clause.name.text);
    }
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings))
      for (const el of bindings.elements) if (!el.isTypeOnly) names.add(el.name.text);
  }
  return { names, namespaces };
}

/** The outermost `expect(...)` call of a matcher chain, e.g. `expect(a).not.toBe(b)` -> `expect(a)`. */
function expectCallOf(expr: ts.Expression): ts.CallExpression | undefined {
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e)) {
      const callee = e.expression;
      if (ts.isIdentifier(callee) && callee.text === 'expect') return e;
      // expect.soft(a), expect.poll(fn)
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'expect')
        return e;
      e = callee;
    } else if (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    else return undefined;
  }
}

export function checkSource(fileName: string, text: string): Finding[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const { names, namespaces } = codeImports(sf, fileName);
  if (names.size === 0 && namespaces.size === 0) return [];
  const lines = text.split('\n');

  /** The imported function a call expression calls, if any: `f(...)`, `ns.f(...)`, `ns.a.f(...)`. */
  const codeCallee = (call: ts.CallExpression): string | undefined => {
    const c = call.expression;
    if (ts.isIdentifier(c) && names.has(c.text)) return c.text;
    if (ts.isPropertyAccessExpression(c)) {
      let base: ts.Expression = c.expression;
      while (ts.isPropertyAccessExpression(base)) base = base.expression;
      if (ts.isIdentifier(base) && namespaces.has(base.text)) return c.getText(sf);
    }
    return undefined;
  };

  /** The imported function the first call in `node` calls, if any. */
  const firstCodeCall = (node: ts.Node): string | undefined => {
    let found: string | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) found = codeCallee(n);
      if (!found) ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };

  /**
   * What the nearest declaration of `id` (a local constant, a loop variable or a parameter, by lexical scope)
   * computes its value with: the imported function its initializer calls, or undefined (a literal, a parameter).
   */
  const computedBy = (id: ts.Identifier): string | undefined => {
    const name = id.text;
    const bound = (b: ts.BindingName): boolean =>
      ts.isIdentifier(b) ? b.text === name : b.elements.some((e) => !ts.isOmittedExpression(e) && bound(e.name));
    const inList = (list: ts.VariableDeclarationList, source?: ts.Expression): { hit: boolean; by?: string } => {
      for (const d of list.declarations)
        if (bound(d.name)) {
          const init = source ?? d.initializer;
          return { hit: true, by: init ? firstCodeCall(init) : undefined };
        }
      return { hit: false };
    };
    for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bound(p.name))) return undefined;
      if ((ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && ts.isVariableDeclarationList(scope.initializer)) {
        const r = inList(scope.initializer, scope.expression);
        if (r.hit) return r.by;
      }
      if (ts.isForStatement(scope) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
        const r = inList(scope.initializer);
        if (r.hit) return r.by;
      }
      if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope))
        for (const st of scope.statements)
          if (ts.isVariableStatement(st)) {
            const r = inList(st.declarationList);
            if (r.hit) return r.by;
          }
    }
    return undefined;
  };

  const annotated = (node: ts.Node): boolean => {
    let stmt: ts.Node = node;
    while (stmt.parent && !ts.isExpressionStatement(stmt) && !ts.isSourceFile(stmt.parent)) stmt = stmt.parent;
    const from = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line;
    const to = sf.getLineAndCharacterOfPosition(stmt.getEnd()).line;
    for (let l = Math.max(0, from - 1); l <= to; l++) if (/\/\/\s*oracle:\s*\S/.test(lines[l] ?? '')) return true;
    return false;
  };

  const findings: Finding[] = [];
  const visit = (n: ts.Node): void => {
    // A matcher call: `<expect(...) chain>.matcher(expected...)`.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.arguments.length > 0) {
      const chain = n.expression.expression;
      const exp = expectCallOf(chain);
      if (exp && exp !== n) {
        for (const arg of n.arguments) {
          const hit = expectedSideHit(arg);
          if (hit && !annotated(n)) {
            const line = sf.getLineAndCharacterOfPosition(arg.getStart(sf)).line;
            findings.push({ file: relative(ROOT, fileName), line: line + 1, callee: hit, text: (lines[line] ?? '').trim() });
            break;
          }
        }
      }
    }
    ts.forEachChild(n, visit);
  };

  /** The imported function the expected side calls (directly or through a local constant), if any. */
  function expectedSideHit(arg: ts.Node): string | undefined {
    let found: string | undefined;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n)) {
        const callee = codeCallee(n);
        if (callee) {
          found = callee;
          return;
        }
      }
      if (ts.isIdentifier(n) && !isPropertyName(n) && !names.has(n.text) && !namespaces.has(n.text)) {
        const by = computedBy(n);
        if (by) {
          found = `${n.text} = ${by}(...)`;
          return;
        }
      }
      ts.forEachChild(n, walk);
    };
    walk(arg);
    return found;
  }

  visit(sf);
  return findings;
}

function isPropertyName(n: ts.Identifier): boolean {
  const p = n.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
}

function main(): void {
  const files = testFiles();
  const all = files.flatMap((f) => checkSource(f, readFileSync(f, 'utf8')));
  const failing = all.filter((f) => !(f.file in PENDING));
  const pending = all.filter((f) => f.file in PENDING);
  for (const f of pending) console.log(`venter (${PENDING[f.file]}): ${f.file}:${f.line}  forventet verdi fra ${f.callee}`);
  for (const file of Object.keys(PENDING))
    if (!pending.some((f) => f.file === file)) console.log(`${file} følger nå regelen: fjern linjen i PENDING (scripts/check-test-oracles.ts).`);
  for (const f of failing) console.error(`${f.file}:${f.line}: forventet verdi regnes ut med ${f.callee} fra koden som testes\n    ${f.text}`);
  if (failing.length > 0) {
    console.error(
      `\n${failing.length} påstand(er) regner ut forventet verdi med koden de tester. Skriv verdien for hånd fra SPEC, ` +
        'eller, for et uavhengig orakel, skriv `// oracle: <hvorfor>` på linjen.',
    );
    process.exit(1);
  }
  const waiting = pending.length > 0 ? ` (${pending.length} i filer som skrives om venter, se over)` : '';
  console.log(`Orakelregelen: ${files.length} testfiler, ingen påstand regner ut forventet verdi med koden den tester${waiting}.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
