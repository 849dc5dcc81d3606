// Accessibility check for browser tests: injects axe-core (node_modules/axe-core/axe.min.js) into a
// playwright page and returns the serious and critical violations (WCAG 2.1 A/AA rules). Any test
// can call it on whatever view it has open:
//
//   const violations = await seriousViolations(page);
//   expect(violations, formatViolations(violations)).toEqual([]);
//
// The script goes in through page.evaluate (DevTools protocol), not a <script> tag: the app's CSP
// (script-src 'self') rightly refuses inline scripts, and the test must not weaken it (no bypassCSP).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type * as Axe from 'axe-core';

declare global {
  interface Window {
    axe?: typeof Axe;
  }
}

export interface AxeViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending nodes, with their HTML (shortened). */
  nodes: { target: string; html: string; summary: string }[];
}

export interface AxeOptions {
  /** Limit the check to this selector (default: the whole document). */
  include?: string;
  /** Rule ids to skip, each with a reason in the caller. */
  disableRules?: string[];
  /** Default: WCAG 2.0/2.1 A and AA. */
  tags?: string[];
}

let axeSource: string | undefined;
function source(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe on the page and returns only serious and critical violations. */
export async function seriousViolations(page: Page, opts: AxeOptions = {}): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => window.axe !== undefined))) await page.evaluate(source());
  return page.evaluate(async ({ include, disableRules, tags }) => {
    const axe = window.axe;
    if (!axe) throw new Error('axe-core ble ikke lastet inn');
    const rules = Object.fromEntries((disableRules ?? []).map((id) => [id, { enabled: false }]));
    const results = await axe.run(include ? { include: [include] } : document, {
      runOnly: { type: 'tag', values: tags ?? ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules,
      resultTypes: ['violations'],
    });
    const found: AxeViolation[] = [];
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      found.push({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
      });
    }
    return found;
  }, opts);
}

/** A readable report for an assertion message. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `  ${n.target}: ${n.html}\n    ${n.summary}`).join('\n')}`)
    .join('\n');
}
