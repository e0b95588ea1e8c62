/**
 * The rule documentation that ships with the extension and the CLI (docs/rules.md): where it is
 * installed, and each rule's section (for SARIF `help`, and the line a link opens at).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** docs/rules.md next to the installed package: found upwards from this module (dist/ or server/src/rules/). */
export function rulesDocPath(start?: string): string | undefined {
  // Every published diagnostic links here: the installed location is looked up once.
  if (start === undefined) return (installedDoc ??= { path: findDoc(__dirname) }).path;
  return findDoc(start);
}

let installedDoc: { path: string | undefined } | undefined;

function findDoc(start: string): string | undefined {
  for (let dir = start, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules.md');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface RuleSection {
  /** 0-based line of the `## code` heading. */
  line: number;
  markdown: string;
  text: string;
}

let cached: Map<string, RuleSection> | undefined;

/** Each `## ecp-…` section of docs/rules.md, up to the next `## ` heading. */
export function ruleSections(markdown?: string): Map<string, RuleSection> {
  if (markdown === undefined && cached) return cached;
  const source = markdown ?? readDoc();
  const lines = source.split('\n');
  const sections = new Map<string, RuleSection>();
  let inFence = false;
  let current: { code: string; line: number } | undefined;
  const close = (end: number) => {
    if (!current) return;
    const body = lines.slice(current.line, end).join('\n').trim();
    sections.set(current.code, { line: current.line, markdown: body, text: plainText(body) });
  };
  lines.forEach((text, i) => {
    if (/^```/.test(text)) inFence = !inFence;
    if (inFence || !/^## /.test(text)) return;
    close(i);
    const code = /^## (ecp-[\w-]+)\s*$/.exec(text)?.[1];
    current = code ? { code, line: i } : undefined;
  });
  close(lines.length);
  if (markdown === undefined) cached = sections;
  return sections;
}

function readDoc(): string {
  const file = rulesDocPath();
  try {
    return file ? fs.readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

/** Markdown to readable plain text: headings, emphasis and link targets dropped, code kept. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^#+\s*/gm, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^```\w*$/gm, '');
}

/**
 * A link to the rule's section of the installed docs/rules.md that resolves offline. The fragment
 * is the heading's line (`#L42`, 1-based): VS Code opens a file link at the line such a fragment
 * names (a `#ecp-…` anchor opened the file at its top), and other clients ignore or honour it.
 */
export function ruleDocUrl(code: string): string | undefined {
  const file = rulesDocPath();
  if (!file) return undefined;
  // Every published diagnostic links here: the URL of the file is made once.
  if (docHref?.file !== file) docHref = { file, href: pathToFileURL(file).href };
  const line = ruleSections().get(code)?.line;
  return line === undefined ? docHref.href : `${docHref.href}#L${line + 1}`;
}

let docHref: { file: string; href: string } | undefined;
