// The glossary holds across the UI (issue 17 item 22; /work/shared/GLOSSARY.md): every text a user reads,
// in src/**/*.tsx, the UI text modules (src/**/ui/**/*.ts, the features' format/text modules, the domain's
// label tables) and the server's Norwegian messages, is scanned for the uses the glossary forbids. Each
// forbidden phrase names the glossary row (or the issue point) that forbids it, so a failure says what to
// write instead. Comments are not UI text and are stripped first.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');

interface Forbidden {
  pattern: RegExp;
  /** The glossary row (UI word | meaning) or issue point that forbids it. */
  rule: string;
  /** A text that may contain the phrase anyway (e.g. a real no-show fee). */
  allowedIn?: RegExp;
}

const FORBIDDEN: readonly Forbidden[] = [
  { pattern: /gebyr/i, rule: 'gebyr | no-show fee | only for a missed appointment; never for a tariff or an egenandel (use «takst», «tjeneste» or «egenandel»)', allowedIn: /ikke møtt|uteblitt|uteblivelse/i },
  { pattern: /allerede (\p{L}+ ){0,2}betalt/iu, rule: 'belastet | charged | the day\'s egenandel already put on the patient (not "betalt")' },
  { pattern: /refusjon[^'"`<>{}]*(tilbake|til pasienten)|tilbake[^'"`<>{}]*refusjon/i, rule: 'tilbakebetaling (til pasienten) | patient refund | never "refusjon", which is Helfo\'s payment' },
  { pattern: /^Refusjon:\s/, rule: 'tilbakebetaling (til pasienten) | patient refund | never "refusjon", which is Helfo\'s payment' },
  { pattern: /Trenger legemiddelendringer vurdering/i, rule: 'issue 17 item 22: «Trenger legemiddelendringer vurdering av fastlege?» is not bokmål; ask «Bør fastlegen vurdere endringene i legemidlene?»' },
  { pattern: /bæres av/i, rule: 'issue 17 item 22: «bæres av» (egenandel | copayment | what the patient pays): say which service the day\'s egenandel lies on' },
];

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .filter(keep);
}

/** The files whose text users read. */
const UI_FILES = [
  ...files('src', (p) => p.endsWith('.tsx')),
  ...files('src', (p) => p.endsWith('.ts') && (/\/ui\//.test(p) || /\/(format|text|labels)\.ts$/.test(p) || /Format\.ts$/.test(p))),
  ...files('src/domain', (p) => /copay|followUp|tariff/i.test(p) && p.endsWith('.ts')),
  ...files('server/features', (p) => /\/(routes|store)\.ts$/.test(p)),
];

/** The file without its comments (`//` lines and ends, block comments, JSX comments). */
function withoutComments(text: string): string {
  return text.replace(/\{?\/\*[\s\S]*?\*\/\}?/g, '').replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
}

/** The texts of a file: string literals, template literals and JSX text, one per entry. */
function texts(text: string): string[] {
  const code = withoutComments(text);
  const out: string[] = [];
  for (const m of code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  for (const m of code.matchAll(/>([^<>{}]*[A-Za-zÆØÅæøå][^<>{}]*)</g)) out.push((m[1] ?? '').trim());
  return out;
}

describe('the UI follows the glossary', () => {
  it('scans the UI text files', () => {
    // Guards the scan itself: the inbox, the contact form and the manager's claims are among them.
    expect(UI_FILES).toEqual(expect.arrayContaining(['src/features/inbox/index.tsx', 'src/features/patient-panel/contact/TodaysChargesPanel.tsx', 'src/features/manager/ClaimsSection.tsx', 'src/domain/copay.ts']));
  });

  it.each(FORBIDDEN.map((f) => [f.pattern.source, f] as const))('no UI text matches %s', (_, forbidden) => {
    const hits: string[] = [];
    for (const file of UI_FILES) {
      for (const t of texts(readFileSync(join(ROOT, file), 'utf8'))) {
        if (forbidden.pattern.test(t) && !forbidden.allowedIn?.test(t)) hits.push(`${file}: «${t}»`);
      }
    }
    expect(hits, `forbidden by the glossary: ${forbidden.rule}`).toEqual([]);
  });

  it('no heading repeats a word right after itself', () => {
    const hits: string[] = [];
    for (const file of UI_FILES.filter((f) => f.endsWith('.tsx'))) {
      const code = withoutComments(readFileSync(join(ROOT, file), 'utf8'));
      for (const m of code.matchAll(/<(Heading|caption|Details\.Summary|Fieldset\.Legend)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
        const text = (m[2] ?? '').replace(/\{[^{}]*\}/g, ' ').replace(/\s+/g, ' ');
        if (/\b(\p{L}{2,})\b[\s:,–-]+\1\b/iu.test(text)) hits.push(`${file}: «${text.trim()}»`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('the scan finds what it forbids (the patterns are not dead)', () => {
    const sample = `const a = 'Refusjon: en betalt egenandel gjelder ikke lenger. Betal kr 50 tilbake til pasienten.';\nconst b = <p>Ingen gebyrer.</p>;\n// gebyr in a comment is not UI text\nconst c = \`Egenandelen bæres av \${x}\`;`;
    const found = texts(sample);
    expect(FORBIDDEN.filter((f) => found.some((t) => f.pattern.test(t) && !f.allowedIn?.test(t))).map((f) => f.pattern.source)).toEqual([
      'gebyr',
      'refusjon[^\'"`<>{}]*(tilbake|til pasienten)|tilbake[^\'"`<>{}]*refusjon',
      '^Refusjon:\\s',
      'bæres av',
    ]);
    expect(found.some((t) => /comment/.test(t))).toBe(false);
    expect(FORBIDDEN[0]?.allowedIn?.test('Gebyr for ikke møtt time')).toBe(true);
  });
});
