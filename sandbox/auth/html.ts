// Minimal HTML helpers for the EPJ's pages. Every value from outside (directory data, query strings)
// goes through `escapeHtml`; pages carry no scripts at all (forms only), so the CSP can forbid them.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A trusted HTML fragment, built only by `html` or `layout`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = string | number | Html | undefined | null | false | Interpolation[];

function render(value: Interpolation): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof Html) return value.value;
  return escapeHtml(String(value));
}

/** Tagged template that escapes every interpolation except nested `html` fragments. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export const STYLESHEET_PATH = '/auth/static/sandbox.css';

export function layout(title: string, body: Html): string {
  return `<!doctype html>\n${html`<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Sandkasse-EPJ</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<header><p class="brand">Sandkasse-EPJ (simulert journalsystem)</p></header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value}\n`;
}

export const STYLESHEET = `body{font-family:system-ui,sans-serif;margin:0;color:#1e2b3c;background:#f5f7fa;line-height:1.5}
header{background:#1e2b3c;color:#fff;padding:.5rem 1.5rem}.brand{margin:0;font-weight:600}
main{max-width:44rem;margin:1.5rem auto;padding:0 1.5rem}
fieldset{border:1px solid #9aa5b1;border-radius:.5rem;margin:0 0 1rem;padding:.75rem 1rem;background:#fff}
legend{font-weight:600;padding:0 .25rem}label{display:block;padding:.2rem 0}
input[type=search]{font:inherit;padding:.35rem;width:60%}
button{font:inherit;padding:.45rem 1rem;border-radius:.35rem;border:1px solid #1e2b3c;background:#fff;cursor:pointer}
button.primary{background:#0062ba;border-color:#0062ba;color:#fff}
button:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.hint{color:#4b5563;font-size:.9rem}.alert{border-left:4px solid #c30000;background:#fff;padding:.5rem 1rem}
`;
