/**
 * The text a screen reader reads for a lesson's diagram (the alt text of its pictures), in Russian: what the
 * diagram shows, from Mermaid's parsed model of it — nodes, groups and connections with their labels for a
 * flowchart, participants and messages in order for a sequence diagram. An author's own `accTitle` and
 * `accDescr` in the diagram's source come first.
 */
import {escapeXml} from '../../src/remark/mermaidDiagrams';

export interface DiagramStructure {
  type: string;
  title: string;
  description: string;
  /** flowchart TB, LR, … */
  direction: string;
  nodes: {id: string; label: string}[];
  edges: {from: string; to: string; label: string; type: string}[];
  groups: {id: string; title: string; nodes: string[]}[];
  /** Sequence diagrams: messages, notes, block labels (Mermaid's LINETYPE numbers). */
  messages: {from: string; to: string; text: string; type: number}[];
}

/** Mermaid's sequence LINETYPE.NOTE (mermaid/src/diagrams/sequence/sequenceDb.ts). */
const NOTE = 2;

const DIRECTIONS: Record<string, string> = {
  LR: 'слева направо',
  RL: 'справа налево',
  TB: 'сверху вниз',
  TD: 'сверху вниз',
  BT: 'снизу вверх',
};

/** Label text as read aloud: line breaks and markup become plain spaces. */
export function plainLabel(text: string): string {
  return text
    // a line break before a capital starts a new statement; otherwise it only wraps a phrase
    .replace(/([.,:;!?])?\s*<br\s*\/?>\s*(?=(.))/gi, (_, mark: string | undefined, next: string) =>
      mark ? `${mark} ` : /\p{Lu}/u.test(next) ? ', ' : ' ',
    )
    .replace(/<[^>]+>/g, '')
    .replace(/#quot;/g, '"')
    .replace(/[*`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const quoted = (text: string): string => `«${plainLabel(text)}»`;

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function describeFlowchart(d: DiagramStructure): string[] {
  const label = new Map(d.nodes.map((n) => [n.id, plainLabel(n.label)]));
  const groupOf = new Map(d.groups.flatMap((g) => g.nodes.map((id) => [id, g] as const)));
  const groupTitle = new Map(d.groups.map((g) => [g.id, g.title]));
  const shared = new Set([...label.values()].filter((l, i, all) => all.indexOf(l) !== i));
  // A label that several nodes share (the Envoy of each pod) is told apart by the node's group.
  const name = (id: string): string => {
    if (groupTitle.has(id)) return `группа ${quoted(groupTitle.get(id)!)}`;
    const text = label.get(id) ?? id;
    const group = groupOf.get(id);
    return shared.has(text) && group ? `${quoted(text)} (${plainLabel(group.title)})` : quoted(text);
  };
  const inGroup = new Set(groupOf.keys());
  const direction = DIRECTIONS[d.direction] ? `, ${DIRECTIONS[d.direction]}` : '';
  const parts = [`Схема${direction}.`];
  const loose = d.nodes.filter((n) => !inGroup.has(n.id) && !d.groups.some((g) => g.id === n.id));
  // Mermaid lists a group's members last first: read them in the order the source declares them.
  const order = new Map(d.nodes.map((n, i) => [n.id, i]));
  const member = (id: string): string => (groupTitle.has(id) ? `группа ${quoted(groupTitle.get(id)!)}` : quoted(label.get(id) ?? id));
  for (const group of d.groups) {
    const members = [...group.nodes].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
    parts.push(`Группа ${quoted(group.title)}: ${members.map(member).join(', ')}.`);
  }
  if (loose.length > 0) parts.push(`${d.groups.length > 0 ? 'Вне групп' : 'Элементы'}: ${loose.map((n) => name(n.id)).join(', ')}.`);
  const edges = d.edges.map((e) => {
    const link = e.type === 'arrow_open' ? `${name(e.from)} — ${name(e.to)}` : e.type === 'double_arrow_point' ? `${name(e.from)} ↔ ${name(e.to)}` : `${name(e.from)} → ${name(e.to)}`;
    return plainLabel(e.label) ? `${link} (${plainLabel(e.label)})` : link;
  });
  if (edges.length > 0) parts.push(`Связи: ${edges.join('; ')}.`);
  return parts;
}

function describeSequence(d: DiagramStructure): string[] {
  const label = new Map(d.nodes.map((n) => [n.id, n.label]));
  const name = (id: string): string => quoted(label.get(id) ?? id);
  const parts = [`Диаграмма последовательности. Участники: ${d.nodes.map((n) => quoted(n.label)).join(', ')}.`];
  let step = 0;
  for (const m of d.messages) {
    const text = plainLabel(m.text);
    if (m.type === NOTE) parts.push(`Примечание у ${name(m.from)}${m.to && m.to !== m.from ? ` и ${name(m.to)}` : ''}: ${sentence(text)}`);
    else if (m.from && m.to) {
      step += 1;
      parts.push(`${step}. ${name(m.from)} → ${name(m.to)}${text ? `: ${sentence(text)}` : '.'}`);
    } else if (text) parts.push(`Блок ${quoted(text)}.`);
  }
  return parts;
}

export function describeDiagram(d: DiagramStructure): string {
  const own = [d.title, d.description].map((t) => plainLabel(t)).filter(Boolean).map(sentence);
  const generated = d.type.startsWith('sequence') ? describeSequence(d) : d.type.startsWith('flowchart') ? describeFlowchart(d) : [];
  const parts = [...own, ...generated];
  if (parts.length === 0) throw new Error(`no description for a ${d.type} diagram: add accTitle and accDescr to its source`);
  return parts.join(' ');
}
/** Pixel size from the viewBox (Mermaid writes width="100%" and a max-width), and the description inside. */
export function finishSvg(svg: string, description: string, where: string): string {
  if (svg.includes('<foreignObject')) throw new Error(`${where}: the SVG has HTML labels (<foreignObject>), which <img> may not show`);
  const rootTag = /<svg\b[^>]*>/.exec(svg)?.[0];
  const viewBox = rootTag && /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(rootTag);
  if (!rootTag || !viewBox) throw new Error(`${where}: Mermaid's SVG has no viewBox`);
  const [width, height] = [Number(viewBox[3]), Number(viewBox[4])].map((n) => Math.ceil(n));
  const newRoot = rootTag
    .replace(/\swidth="[^"]*"/, '')
    .replace(/\sstyle="max-width:[^"]*"/, '')
    .replace(/^<svg\b/, `<svg width="${width}" height="${height}"`);
  return svg.replace(rootTag, `${newRoot}<desc data-diagram-description="">${escapeXml(description)}</desc>`);
}

