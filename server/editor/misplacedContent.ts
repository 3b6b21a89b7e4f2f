import { Fragment, type ContentMatch, type NodeType } from "@tiptap/pm/model";
import * as Y from "yjs";
import { MAX_DEPTH } from "../collab/memoStructure";
import { validAttributeValue, validMarkValue } from "../collab/memoAttributeValues";
import { memoSchema, type JSONContent } from "../../common/editor/memoDocument";

// Content found where the memo schema does not allow it (memos stored before updates were checked)
// turned into nodes that fit where it stands, keeping every character: text outside a text block
// becomes a paragraph, an element the schema does not know gives up its content to its parent,
// a list item outside a list is wrapped in one, a block inside a text block gives its text to that
// block (after a line break), and what would nest deeper than MAX_DEPTH is unwrapped. The Yjs tree
// is walked with an explicit stack, never by recursion: a stored memo may nest 10,000 levels deep.

type Schema = ReturnType<typeof memoSchema>;

/** A node being built: its content so far, and where its content expression stands. */
type Frame = {
  type: NodeType;
  attrs: Record<string, unknown> | null;
  content: JSONContent[];
  match: ContentMatch;
  /** Depth of the node (the memo's root is 0). */
  depth: number;
  /** Made by the fitter to hold what follows (a list around list items, a paragraph around text): reused by siblings. */
  auto: boolean;
  /** The parent's match before this node, to take it back if the node ends up empty. */
  matchBefore: ContentMatch | null;
  /** In a text block: it holds inline content (for the fitter's first node: the block did already). */
  hasContent: boolean;
  /** In a text block: a line break goes before the next inline content. */
  breakBefore: boolean;
};

type Task =
  | { kind: "enter"; value: unknown }
  | { kind: "inline"; text: string; attributes: Record<string, unknown> | undefined }
  | { kind: "close"; height: number }
  | { kind: "boundary" };

const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** Text without the characters storage cannot hold (NUL, lone surrogates). */
export function storableCharacters(text: string): string {
  return text.replace(UNSTORABLE, "");
}

const minimalDepths = new WeakMap<NodeType, number>();

/** How many levels of elements the smallest valid node of `type` needs below itself (a list: 2). */
export function levelsBelow(type: NodeType): number {
  let levels = minimalDepths.get(type);
  if (levels === undefined) {
    const height = (node: ReturnType<NodeType["create"]>): number => {
      let below = 0;
      node.forEach((child) => (below = Math.max(below, child.isText ? 0 : 1 + height(child))));
      return below;
    };
    const smallest = type.createAndFill();
    levels = smallest ? height(smallest) : 0;
    minimalDepths.set(type, levels);
  }
  return levels;
}

/** The node type an element names, when the schema has it as an element (not "text", not the root). */
export function nodeTypeOf(schema: Schema, name: string): NodeType | undefined {
  const type = Object.hasOwn(schema.nodes, name) ? schema.nodes[name] : undefined;
  return type && !type.isText && type !== schema.topNodeType ? type : undefined;
}

/** The attributes of an element that `type` has, with values of their shape; the rest are left out. */
export function validAttributes(type: NodeType, attributes: Record<string, unknown>): Record<string, unknown> | null {
  const valid: Record<string, unknown> = {};
  let any = false;
  for (const [name, value] of Object.entries(attributes)) {
    if (Object.hasOwn(type.spec.attrs ?? {}, name) && validAttributeValue(type.name, name, value)) {
      valid[name] = value;
      any = true;
    }
  }
  return any ? valid : null;
}

/** The marks of a text run (its Yjs formatting) that `block` allows, with values of their shape. */
export function validMarks(
  schema: Schema,
  block: NodeType,
  attributes: Record<string, unknown> | undefined,
): JSONContent["marks"] {
  const marks: NonNullable<JSONContent["marks"]> = [];
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const mark = Object.hasOwn(schema.marks, name) ? schema.marks[name] : undefined;
    if (!mark || !block.allowsMarkType(mark) || value === null || !validMarkValue(name, value)) continue;
    const attrs = mark.create(value as Record<string, unknown>).attrs;
    marks.push(Object.keys(attrs).length ? { type: name, attrs } : { type: name });
  }
  return marks.length ? marks : undefined;
}

/**
 * Builds, from misplaced Yjs content, nodes that fit a container (of type `type`, at `depth`) from
 * the point its content expression has reached (`match`). Feed it with add(); finish() returns the
 * nodes and where the expression then stands.
 */
export class MisplacedContentFitter {
  private readonly schema = memoSchema();
  private readonly frames: Frame[];

  constructor(type: NodeType, match: ContentMatch, depth: number, contentBefore: boolean) {
    this.frames = [
      {
        type,
        attrs: null,
        content: [],
        match,
        depth,
        auto: false,
        matchBefore: null,
        hasContent: contentBefore,
        breakBefore: false,
      },
    ];
  }

  /** Fits one misplaced child (a Yjs type, or a value a list held) and everything inside it. */
  add(value: unknown): void {
    const tasks: Task[] = [{ kind: "enter", value }];
    for (let task = tasks.pop(); task; task = tasks.pop()) {
      if (task.kind === "inline") this.addText(task.text, task.attributes);
      else if (task.kind === "close") while (this.frames.length > task.height) this.closeTop();
      else if (task.kind === "boundary") this.boundary();
      else this.enter(task.value, tasks);
    }
  }

  /** The nodes built, and the container's match after them; `contentAfter`: the container holds more after them. */
  finish(contentAfter: boolean): { content: JSONContent[]; match: ContentMatch } {
    while (this.frames.length > 1) this.closeTop();
    const container = this.frames[0];
    if (contentAfter && container.breakBefore && container.content.length > 0 && container.depth + 1 <= MAX_DEPTH) {
      container.content.push({ type: this.schema.nodes.hardBreak.name });
    }
    return { content: container.content, match: container.match };
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private enter(value: unknown, tasks: Task[]): void {
    if (typeof value === "string") {
      tasks.push({ kind: "inline", text: value, attributes: undefined });
      return;
    }
    if (value instanceof Y.Text) {
      // Y.XmlText, or a plain Y.Text someone put in the tree: its runs, and the types embedded in it.
      const ops = value.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[];
      for (let i = ops.length - 1; i >= 0; i--) {
        const { insert, attributes } = ops[i];
        if (typeof insert === "string") tasks.push({ kind: "inline", text: insert, attributes });
        else if (insert instanceof Y.AbstractType) tasks.push({ kind: "enter", value: insert });
      }
      return;
    }
    if (!(value instanceof Y.XmlFragment)) return; // maps, arrays, numbers, binary: nothing to read
    const children = value.toArray();
    const type = value instanceof Y.XmlElement ? nodeTypeOf(this.schema, value.nodeName) : undefined;
    if (type?.isInline) {
      this.addInline({ type: type.name });
      for (let i = children.length - 1; i >= 0; i--) tasks.push({ kind: "enter", value: children[i] });
      return;
    }
    // A paragraph the fitter made for loose text ends where a block starts.
    if (type && this.top().type.isTextblock && this.top().auto) this.closeTop();
    if (
      type &&
      !this.top().type.isTextblock &&
      this.open(type, validAttributes(type, (value as Y.XmlElement).getAttributes()), false)
    ) {
      tasks.push({ kind: "close", height: this.frames.length - 1 });
    } else {
      // Unwrapped: its content goes where it stood, apart from the content around it.
      this.boundary();
      tasks.push({ kind: "boundary" });
    }
    for (let i = children.length - 1; i >= 0; i--) tasks.push({ kind: "enter", value: children[i] });
  }

  /** Keeps what comes next apart from what came before: a new paragraph, or a line break in a text block. */
  private boundary(): void {
    const top = this.top();
    if (!top.type.isTextblock) return;
    if (top.auto) this.closeTop();
    else if (top.hasContent) top.breakBefore = true;
  }

  private addText(text: string, attributes: Record<string, unknown> | undefined): void {
    const storable = storableCharacters(text);
    if (!storable) return;
    const block = this.textBlock();
    if (!block) return;
    this.addInline({ type: "text", text: storable, marks: validMarks(this.schema, block.type, attributes) });
  }

  private addInline(node: JSONContent): void {
    const block = this.textBlock();
    if (!block) return;
    const hardBreak = this.schema.nodes.hardBreak;
    const breakFits = block.depth + 1 <= MAX_DEPTH;
    if (block.breakBefore && breakFits) block.content.push({ type: hardBreak.name });
    block.breakBefore = false;
    block.hasContent = true;
    if (node.type === hardBreak.name && !breakFits) return;
    block.content.push(node);
  }

  /** The text block inline content goes to: the current one, or a new paragraph. */
  private textBlock(): Frame | undefined {
    if (this.top().type.isTextblock) return this.top();
    return this.open(this.schema.nodes.paragraph, null, true) ? this.top() : undefined;
  }

  /**
   * Opens a node of `type` where the content stands: directly, after the node the expression
   * requires first (a list item's paragraph), or inside wrappers (a list around a list item), if
   * it fits within MAX_DEPTH. A node the fitter made for earlier siblings takes it only directly.
   */
  private open(type: NodeType, attrs: Record<string, unknown> | null, auto: boolean): boolean {
    for (;;) {
      const parent = this.top();
      const plan = this.plan(parent, type);
      if (plan) {
        if (plan.fill) {
          parent.content.push(plan.fill.createAndFill()!.toJSON() as JSONContent);
          parent.match = parent.match.matchType(plan.fill)!;
        }
        for (const wrapper of plan.wrap) this.push(wrapper, null, true);
        this.push(type, attrs, auto);
        return true;
      }
      if (!parent.auto) return false;
      this.closeTop();
    }
  }

  private plan(parent: Frame, type: NodeType): { fill: NodeType | null; wrap: readonly NodeType[] } | null {
    const fits = (wrappers: number) => parent.depth + wrappers + 1 + levelsBelow(type) <= MAX_DEPTH;
    if (parent.match.matchType(type) && fits(0)) return { fill: null, wrap: [] };
    if (parent.auto) return null;
    const wrap = parent.match.findWrapping(type);
    if (wrap && fits(wrap.length)) return { fill: null, wrap };
    const fill = parent.match.defaultType;
    const after = fill && parent.match.matchType(fill);
    if (!fill || !after || !fill.createAndFill()) return null;
    if (after.matchType(type) && fits(0)) return { fill, wrap: [] };
    const wrapAfter = after.findWrapping(type);
    return wrapAfter && fits(wrapAfter.length) ? { fill, wrap: wrapAfter } : null;
  }

  private push(type: NodeType, attrs: Record<string, unknown> | null, auto: boolean): void {
    const parent = this.top();
    const matchBefore = parent.match;
    parent.match = parent.match.matchType(type)!;
    this.frames.push({
      type,
      attrs,
      content: [],
      match: type.contentMatch,
      depth: parent.depth + 1,
      auto,
      matchBefore,
      hasContent: false,
      breakBefore: false,
    });
  }

  /** Ends the innermost node: an empty text block (or empty wrapper) is left out, anything else completed. */
  private closeTop(): void {
    const frame = this.frames.pop()!;
    const parent = this.top();
    if (frame.content.length === 0 && (frame.type.isTextblock || frame.auto)) {
      parent.match = frame.matchBefore!;
      return;
    }
    if (!frame.match.validEnd) {
      frame.match.fillBefore(Fragment.empty, true)?.forEach((node) => frame.content.push(node.toJSON() as JSONContent));
    }
    const node: JSONContent = { type: frame.type.name };
    if (frame.attrs) node.attrs = frame.attrs;
    if (frame.content.length) node.content = frame.content;
    parent.content.push(node);
  }
}
