/**
 * A scenario's conversation drawn as a sequence diagram, in SVG that needs nothing else (no
 * script, no font, no link): the browser, the RP and the OP as lifelines; a solid arrow per
 * request (`POST /token`) and a dashed one per answer (`200`); the exchanges a party made while it
 * was answering another drawn between that request and its answer; the RP's refusal marked in red
 * with its check, and the message that carried what it refused drawn red; the verdict and its
 * reason at the bottom.
 *
 * @module
 */
import type { ConversationExchange, ConversationNode, Party } from './conversation.js';
import { outcomeOf } from './conversation.js';

/** Where and why the RP refused. */
export interface DiagramRefusal {
  /** How many exchanges had completed (by their position) when the RP refused. */
  readonly after: number;
  /** What is written first (`the RP refuses at checkSignature (OIDC Core 3.1.3.7)`). */
  readonly title: string;
  /** What the RP said, when it said something. */
  readonly detail?: string | undefined;
  /**
   * Which message carried what the RP refused: of an exchange, its `request`, its `answer`, or
   * neither (`false`). The last such message before the refusal is drawn red.
   */
  readonly carrier?: ((exchange: ConversationExchange) => 'request' | 'answer' | false) | undefined;
}

/** The verdict shown at the bottom. */
export interface DiagramVerdict {
  /** `passed`, `failed`, `skipped`, `inconclusive`. */
  readonly verdict: string;
  readonly reason: string;
}

/** What the diagram draws. */
export interface SequenceDiagramInput {
  /** The heading (the scenario's or test's name). */
  readonly title: string;
  /** The conversation (see `nest` in conversation.ts). */
  readonly nodes: readonly ConversationNode[];
  readonly refusal?: DiagramRefusal | undefined;
  readonly verdict?: DiagramVerdict | undefined;
}

/** One horizontal row of the diagram. */
type Row =
  | { readonly kind: 'request' | 'answer'; readonly from: Party; readonly to: Party; readonly label: string; readonly problem: boolean; readonly exchange: ConversationExchange; readonly completes?: number }
  | { readonly kind: 'refusal'; readonly refusal: DiagramRefusal };

const WIDTH = 880;
const LANE: Record<Party, number> = { browser: 140, RP: 440, OP: 740 };
const ROW = 24;
const LINE = 14;
/** About how wide a character of the 11px sans-serif text is, to shorten what would not fit. */
const CHAR = 6.2;
const COLOURS = { ink: '#263238', faint: '#90a4ae', refused: '#c62828', problem: '#b45309' } as const;
const VERDICT_COLOURS: Record<string, string> = { passed: '#2e7d32', failed: '#c62828', skipped: '#616161', inconclusive: '#ef6c00' };

/** `text` made safe for SVG text and attributes. */
function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `text` cut to `chars` characters, with an ellipsis when cut. */
function fit(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/** `text` in lines of at most `chars` characters, broken at spaces, at most `max` lines. */
function wrap(text: string, chars: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= max) return lines.map((l) => fit(l, chars));
  return [...lines.slice(0, max - 1), fit(lines.slice(max - 1).join(' '), chars)].map((l) => fit(l, chars));
}

/** The rows of a forest: each exchange's request, the exchanges it holds, its answer. */
function rowsOf(nodes: readonly ConversationNode[]): Row[] {
  return nodes.flatMap((node) => {
    const e: ConversationExchange = node.exchange;
    const problem = e.error !== undefined || (e.status ?? 0) >= 400;
    return [
      { kind: 'request' as const, from: e.from, to: e.to, label: `${e.method} ${e.path}`, problem: false, exchange: e },
      ...rowsOf(node.children),
      { kind: 'answer' as const, from: e.to, to: e.from, label: outcomeOf(e), problem, exchange: e, completes: e.position },
    ];
  });
}

/**
 * Where the refusal goes among `rows`: after the answer that completed last before it, before
 * the first message the RP sent afterwards (its error page, or a request it should not have
 * sent), else at the end.
 */
function refusalIndex(rows: readonly Row[], after: number): number {
  let start = 0;
  rows.forEach((row, index) => {
    if (row.kind === 'answer' && row.completes !== undefined && row.completes < after) start = index + 1;
  });
  const next = rows.findIndex((row, index) => index >= start && row.kind !== 'refusal' && row.from === 'RP');
  return next < 0 ? rows.length : next;
}

/** The height of a refusal row: its title and up to two lines of detail. */
function refusalLines(refusal: DiagramRefusal): { title: string; detail: string[] } {
  const chars = Math.floor((WIDTH - 80) / CHAR);
  return { title: fit(refusal.title, chars), detail: refusal.detail ? wrap(refusal.detail, chars, 2) : [] };
}

/** The diagram's styles: classes keep each row short. */
const STYLE = [
  `text{text-anchor:middle}`,
  `.l{text-anchor:start}`,
  `.b{font-weight:bold}`,
  `.f{fill:${COLOURS.faint};font-size:10px}`,
  `line{stroke:${COLOURS.ink};stroke-width:1.2;marker-end:url(#h)}`,
  `line.a{stroke-dasharray:5 3}`,
  `line.p{stroke:${COLOURS.problem};marker-end:url(#hp)}`,
  `text.p{fill:${COLOURS.problem}}`,
  `line.r{stroke:${COLOURS.refused};stroke-width:2;marker-end:url(#hr)}`,
  `text.r{fill:${COLOURS.refused};font-weight:bold}`,
  `.life{stroke:${COLOURS.faint};stroke-width:1;stroke-dasharray:2 3;marker-end:none}`,
  `.box{fill:#eceff1;stroke:${COLOURS.ink}}`,
  `.no{fill:#ffebee;stroke:${COLOURS.refused}}`,
  `text.no{fill:${COLOURS.refused};stroke:none}`,
].join('');

/** The SVG of the conversation. */
export function sequenceDiagram(input: SequenceDiagramInput): string {
  const rows = rowsOf(input.nodes);
  if (input.refusal) rows.splice(refusalIndex(rows, input.refusal.after), 0, { kind: 'refusal', refusal: input.refusal });
  const refusedAt = rows.findIndex((row) => row.kind === 'refusal');
  const carrier = input.refusal?.carrier;
  const carried = carrier === undefined ? -1 : rows.findLastIndex((row, index) => index < refusedAt && row.kind !== 'refusal' && carrier(row.exchange) === row.kind);
  const parts: string[] = [];
  let y = 72;
  rows.forEach((row, index) => {
    if (row.kind === 'refusal') {
      const { title, detail } = refusalLines(row.refusal);
      const height = 12 + LINE * (1 + detail.length);
      parts.push(`<rect class="no" x="24" y="${y + 2}" width="${WIDTH - 48}" height="${height}" rx="4"/>`);
      parts.push(`<text class="no b" x="${LANE.RP}" y="${y + 15}">${xml(`✗ ${title}`)}</text>`);
      detail.forEach((line, at) => parts.push(`<text class="no" x="${LANE.RP}" y="${y + 15 + LINE * (at + 1)}">${xml(line)}</text>`));
      y += height + 8;
      return;
    }
    const x1 = LANE[row.from];
    const x2 = LANE[row.to];
    const style = index === carried ? 'r' : row.problem ? 'p' : '';
    const lineClass = [row.kind === 'answer' ? 'a' : '', style].filter(Boolean).join(' ');
    const chars = Math.floor((Math.abs(x2 - x1) - 12) / CHAR);
    parts.push(`<text${style ? ` class="${style}"` : ''} x="${(x1 + x2) / 2}" y="${y + 10}">${xml(fit(row.label, chars))}</text>`);
    parts.push(`<line${lineClass ? ` class="${lineClass}"` : ''} x1="${x1}" y1="${y + 15}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y + 15}"/>`);
    y += ROW;
  });
  if (rows.length === 0) {
    parts.push(`<text class="f" x="${LANE.RP}" y="${y + 10}">no exchange was recorded</text>`);
    y += ROW;
  }
  const lifelineEnd = y + 6;
  const footer: string[] = [];
  let bottom = lifelineEnd + 14;
  if (input.verdict) {
    const colour = VERDICT_COLOURS[input.verdict.verdict] ?? COLOURS.ink;
    const lines = wrap(`${input.verdict.verdict.toUpperCase()}: ${input.verdict.reason}`, Math.floor((WIDTH - 60) / CHAR), 4);
    footer.push(`<rect x="24" y="${bottom}" width="${WIDTH - 48}" height="${10 + LINE * lines.length}" rx="4" fill="none" stroke="${colour}"/>`);
    lines.forEach((line, at) => footer.push(`<text class="l${at === 0 ? ' b' : ''}" x="34" y="${bottom + 16 + LINE * at}" fill="${colour}">${xml(line)}</text>`));
    bottom += 10 + LINE * lines.length + 8;
  }
  footer.push(`<text class="l f" x="24" y="${bottom + 10}">solid: a request; dashed: its answer; exchanges between a request and its answer were made while answering it</text>`);
  const height = bottom + 20;
  const markers = [['h', COLOURS.ink], ['hr', COLOURS.refused], ['hp', COLOURS.problem]]
    .map(([id, fill]) => `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${fill}"/></marker>`)
    .join('');
  const lanes = (Object.entries(LANE) as Array<[Party, number]>).map(([party, x]) =>
    `<rect class="box" x="${x - 60}" y="30" width="120" height="28" rx="4"/><text class="b" x="${x}" y="49">${party}</text><line class="life" x1="${x}" y1="58" x2="${x}" y2="${lifelineEnd}"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="${COLOURS.ink}">`,
    `<title>${xml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<defs>${markers}</defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text class="l b" x="24" y="18" font-size="13">${xml(fit(input.title, Math.floor((WIDTH - 48) / 7)))}</text>`,
    ...lanes,
    ...parts,
    ...footer,
    '</svg>',
  ].join('\n');
}
