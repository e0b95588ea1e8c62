/**
 * The only way the panel creates elements. Text goes in with createTextNode; attributes with
 * setAttribute, which never parses markup. Event-handler and style attributes are refused so a
 * value from the user's code can never become script or inline style.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean>;
}

function setAttrs(node: Element, attrs: Record<string, string | number | boolean>): void {
  for (const [name, value] of Object.entries(attrs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'style' || lower === 'srcdoc') {
      throw new Error(`dom: attribute "${name}" is not allowed`);
    }
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Create an HTML element. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.title !== undefined) node.title = props.title;
  if (props.attrs) setAttrs(node, props.attrs);
  if (props.text !== undefined) node.textContent = props.text;
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Create an SVG element; geometry goes in attributes (allowed by the CSP, unlike style attributes). */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Replace all children of `node`. */
export function fill(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}

/** A titled, collapsible section with a count badge. */
export function section(id: string, title: string, caption: string | null, ...body: Child[]): HTMLElement {
  const headingId = `${id}-title`;
  return h(
    'section',
    { class: 'section', attrs: { id, 'aria-labelledby': headingId } },
    h('h2', { class: 'section-title', attrs: { id: headingId } }, title, caption ? h('span', { class: 'caption', text: caption }) : null),
    ...body,
  );
}

export interface Column {
  label: string;
  /** Right-aligned monospace figures. */
  num?: boolean;
  mono?: boolean;
  title?: string;
}

/** A data table; each cell is a Child or a [Child, extra class] pair. */
export function table(label: string, columns: Column[], rows: (Child | [Child, string])[][], rowClass?: (i: number) => string): HTMLTableElement {
  const head = h('tr', {}, ...columns.map((c) => h('th', { class: c.num ? 'num' : '', title: c.title, attrs: { scope: 'col' } }, c.label)));
  const body = rows.map((row, i) =>
    h(
      'tr',
      { class: rowClass ? rowClass(i) : '' },
      ...row.map((cell, j) => {
        const col = columns[j];
        const [content, extra] = Array.isArray(cell) ? cell : [cell, ''];
        const cls = [col.num ? 'num' : '', col.mono ? 'mono' : '', extra].filter(Boolean).join(' ');
        return h('td', { class: cls }, content);
      }),
    ),
  );
  return h('table', { class: 'grid', attrs: { 'aria-label': label } }, h('thead', {}, head), h('tbody', {}, ...body));
}

/** Placeholder line for an empty table or list. */
export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty', text });
}
