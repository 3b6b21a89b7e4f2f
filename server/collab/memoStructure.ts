import type { MarkType, NodeType } from "@tiptap/pm/model";
import * as Y from "yjs";
import { memoSchema } from "../../common/editor/memoDocument";
import { isAllowedLink, MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { isStorableText } from "../../common/validation/storableText";
import { validAttributeValue, validMarkValue } from "./memoAttributeValues";
import { markTypeOfKey } from "../../common/suggestions/suggestionMarks";
import { policyViolation } from "./collabRefusals";

// Whether a client's update keeps the memo a document of the memo schema, decided before it is
// applied, from the update's own items and the few items of the memo they attach to (so the cost
// follows the update, not the memo).
//
// Checking names is not enough: y-tiptap builds ProseMirror nodes from the Yjs tree without
// checking their content, ProseMirror then fits the document into the schema by dropping what
// cannot stand where it is (a paragraph inside a paragraph, text directly in a quote), and the
// next keystroke writes that deletion back: a colleague's paragraph vanished from storage because
// a hostile client had put something inside it. So every item is checked where it lands:
//   - an element may only be a child that its parent's content expression admits (a paragraph in
//     the root, a quote or a list item; a list item in a list; a hard break in a text block);
//   - text (Y.XmlText) only in text blocks, characters and marks only in text, marks only those
//     the text block allows, with values of their shape (a link's href with an allowed protocol);
//   - attributes only those of the element's node type, with values of their shape (heading
//     levels 1 to 3);
//   - nesting no deeper than MAX_DEPTH;
//   - no character PostgreSQL cannot store (NUL, lone surrogates);
//   - an element the update creates has, once it is applied, content its expression matches in
//     order (a list item starts with a paragraph, a list is not empty).
// Where an item attaches is fixed when it is created, so these rules hold whatever other clients
// do concurrently. What concurrency alone can do to an existing element (two people each delete
// one of a list's two items) is not refused: the honest client would be refused forever on every
// replay, and ProseMirror fills such a gap (an empty paragraph) rather than dropping text.

/** Elements nested deeper than this are refused: eight list levels inside a quote fit easily. */
export const MAX_DEPTH = 20;

type Schema = ReturnType<typeof memoSchema>;

/** Where an item lands. */
type Container =
  | { kind: "root"; depth: 0 }
  | { kind: "element"; node: NodeType; depth: number; id: string }
  | { kind: "text"; block: NodeType; depth: number }
  // Yjs turns an item whose parent or neighbour was garbage-collected into garbage itself.
  | { kind: "discarded" };

/** Where an item lands: its container, and the attribute it sets there (null: a child). */
export type Placement = { container: Container; parentSub: string | null };

/** An item of an update already checked, with where it lands. */
export type PlacedItem = { item: Y.Item; placement: Placement };

/** The items an update carries, by id, with their placements (for updates checked after it). */
export type PlacedItems = { find(id: Y.ID): PlacedItem | undefined };

const key = (id: Y.ID) => `${id.client}:${id.clock}`;

/** What the check needs from the memo it applies to. */
export type MemoView = {
  doc: Y.Doc;
  /** An item of an update accepted but not applied yet (MemoRoom's waiting updates). */
  waitingItem(id: Y.ID): PlacedItem | undefined;
};

/** The child node types each node type's content expression admits, anywhere. */
const admitted = new WeakMap<NodeType, Set<NodeType>>();

function admits(parent: NodeType, child: NodeType): boolean {
  let set = admitted.get(parent);
  if (!set) {
    set = new Set();
    const seen = new Set<unknown>();
    const visit = (match: NodeType["contentMatch"]) => {
      if (seen.has(match)) return;
      seen.add(match);
      for (let i = 0; i < match.edgeCount; i++) {
        const edge = match.edge(i);
        set!.add(edge.type);
        visit(edge.next);
      }
    };
    visit(parent.contentMatch);
    admitted.set(parent, set);
  }
  return set.has(child);
}

/** The update's items by client, in clock order (as Y.decodeUpdate returns them). */
class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>();

  constructor(structs: readonly unknown[]) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const list = this.byClient.get(struct.id.client) ?? [];
      list.push(struct);
      this.byClient.set(struct.id.client, list);
    }
  }

  /** The update's item that holds `id`, if any. */
  find(id: Y.ID): Y.Item | undefined {
    const list = this.byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const item = list[middle];
      if (id.clock < item.id.clock) high = middle - 1;
      else if (id.clock >= item.id.clock + item.length) low = middle + 1;
      else return item;
    }
    return undefined;
  }

  all(): Y.Item[] {
    return [...this.byClient.values()].flat();
  }
}

type DeleteSet = { clients: Map<number, { clock: number; len: number }[]> };

/**
 * Throws a ProtocolViolation unless the update keeps the memo within its schema (see above);
 * returns its items with their placements.
 */
export function checkUpdateStructure(memo: MemoView, structs: readonly unknown[], deletes: DeleteSet): PlacedItems {
  const schema = memoSchema();
  const items = new UpdateItems(structs);
  const placements = new Map<Y.Item, Placement>();
  const containers = new Map<Y.AbstractType<unknown>, Container>();
  const root = memo.doc.share.get(MEMO_FRAGMENT);

  type Found =
    | { kind: "update"; item: Y.Item }
    | { kind: "placed"; placement: Placement; item: Y.Item }
    | { kind: "memo"; struct: Y.Item | Y.GC };
  /** The struct holding `id`: in this update, in a waiting one, or in the memo. */
  const structAt = (id: Y.ID): Found => {
    const own = items.find(id);
    if (own) return { kind: "update", item: own };
    const waiting = memo.waitingItem(id);
    if (waiting) return { kind: "placed", ...waiting };
    if (Y.getState(memo.doc.store, id.client) <= id.clock)
      throw policyViolation("update references content the server never saw");
    return { kind: "memo", struct: Y.getItem(memo.doc.store, id) as Y.Item | Y.GC };
  };

  /** The container an existing type of the memo makes for its children (walked up iteratively). */
  const containerOfType = (type: Y.AbstractType<unknown>): Container => {
    const path: Y.AbstractType<unknown>[] = [];
    let current: Y.AbstractType<unknown> = type;
    let above: Container | undefined;
    for (;;) {
      above = current === root ? { kind: "root", depth: 0 } : containers.get(current);
      if (above) break;
      if (current._item === null) throw policyViolation("update writes outside the memo");
      path.push(current);
      current = current._item.parent as Y.AbstractType<unknown>;
    }
    for (const step of path.reverse()) {
      above = containerFor(schema, step, above, key(step._item!.id));
      containers.set(step, above);
    }
    return above;
  };

  /**
   * Where an item of the update lands: from its parent, or (when Yjs left the parent out, because
   * it follows from them) its neighbours'. Neighbour chains are followed iteratively (a replay
   * may hold thousands of items in a row); parents recurse, at most MAX_DEPTH deep.
   */
  const placementOf = (item: Y.Item, depth = 0): Placement => {
    if (depth > MAX_DEPTH + 1) throw policyViolation("content nested too deeply");
    const chain: Y.Item[] = [];
    const inChain = new Set<Y.Item>();
    let current = item;
    let placement: Placement | undefined;
    while (!(placement = placements.get(current))) {
      if (inChain.has(current)) throw policyViolation("update whose items refer to each other in a circle");
      inChain.add(current);
      chain.push(current);
      const parent = current.parent as unknown;
      if (typeof parent === "string") {
        if (parent !== MEMO_FRAGMENT) throw policyViolation("update writes outside the memo");
        placement = { container: { kind: "root", depth: 0 }, parentSub: current.parentSub };
        break;
      }
      if (parent instanceof Y.ID) {
        placement = { container: containerOfHolder(structAt(parent), depth), parentSub: current.parentSub };
        break;
      }
      const neighbourId = current.origin ?? current.rightOrigin;
      if (neighbourId === null) throw policyViolation("item without a parent");
      const neighbour = structAt(neighbourId);
      if (neighbour.kind === "update") {
        current = neighbour.item;
        continue;
      }
      if (neighbour.kind === "placed") {
        placement = neighbour.placement;
      } else if (neighbour.struct instanceof Y.GC) {
        placement = { container: { kind: "discarded" }, parentSub: null };
      } else {
        placement = {
          container: containerOfType(neighbour.struct.parent as Y.AbstractType<unknown>),
          parentSub: neighbour.struct.parentSub,
        };
      }
      break;
    }
    for (const link of chain) placements.set(link, placement);
    return placement;
  };

  /** The container made by the type item that an item names as its parent. */
  const containerOfHolder = (holder: Found, depth: number): Container => {
    const item = holder.kind === "memo" ? holder.struct : holder.item;
    if (item instanceof Y.GC) return { kind: "discarded" };
    if (!(item.content instanceof Y.ContentType)) throw policyViolation("parent that is not a type");
    const type = item.content.type;
    if (holder.kind === "memo") return containerOfType(type);
    const above = holder.kind === "placed" ? holder.placement : placementOf(item, depth + 1);
    if (above.parentSub !== null) throw policyViolation("type under an attribute");
    return containerFor(schema, type, above.container, key(item.id));
  };

  const childrenOf = new Map<string, Y.Item[]>();
  const created: { id: Y.ID; node: NodeType }[] = [];
  for (const item of items.all()) {
    const { container, parentSub } = placementOf(item);
    if (container.kind === "discarded") continue;
    checkItem(schema, item, container, parentSub);
    if (container.kind === "element" && parentSub === null) {
      const siblings = childrenOf.get(container.id) ?? [];
      siblings.push(item);
      childrenOf.set(container.id, siblings);
    }
    if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement) {
      created.push({ id: item.id, node: schema.nodes[item.content.type.nodeName] });
    }
  }
  for (const { id, node } of created) {
    if (!isDeleted(deletes, id)) checkCreatedContent(node, childrenOf.get(key(id)) ?? [], deletes);
  }
  return {
    find(id) {
      const item = items.find(id);
      return item && { item, placement: placements.get(item)! };
    },
  };
}

/** The container a type (existing, or created by the update) makes for its children. */
function containerFor(schema: Schema, type: unknown, parent: Container, id: string): Container {
  if (parent.kind === "discarded") return parent;
  if (type instanceof Y.XmlText) {
    if (parent.kind !== "element") throw policyViolation("text outside a text block");
    return { kind: "text", block: parent.node, depth: parent.depth + 1 };
  }
  if (type instanceof Y.XmlElement) {
    const node = Object.hasOwn(schema.nodes, type.nodeName) ? schema.nodes[type.nodeName] : undefined;
    if (!node || node.isText) throw policyViolation("element outside the memo schema");
    return { kind: "element", node, depth: parent.depth + 1, id };
  }
  throw policyViolation("type outside the memo schema");
}

function checkItem(
  schema: Schema,
  item: Y.Item,
  container: Exclude<Container, { kind: "discarded" }>,
  parentSub: string | null,
): void {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return;
  if (parentSub !== null) {
    if (container.kind !== "element") throw policyViolation("attribute outside the memo schema");
    if (!Object.hasOwn(container.node.spec.attrs ?? {}, parentSub))
      throw policyViolation("attribute outside the memo schema");
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1)
      throw policyViolation("attribute value outside the memo schema");
    if (!validAttributeValue(container.node.name, parentSub, content.arr[0]))
      throw policyViolation("attribute value outside the memo schema");
    return;
  }
  if (container.kind === "text") {
    if (content instanceof Y.ContentString) {
      if (!isStorableText(content.str))
        throw policyViolation("text with a character storage cannot hold (NUL or a lone surrogate)");
      return;
    }
    if (content instanceof Y.ContentFormat) {
      // An overlapping mark (a suggested deletion) is stored under "name--hash" (y-tiptap).
      const mark: MarkType | undefined = markTypeOfKey(schema, content.key);
      if (!mark) throw policyViolation("mark outside the memo schema");
      if (!container.block.allowsMarkType(mark)) throw policyViolation("mark where the memo schema does not allow it");
      if (!validMarkValue(mark.name, content.value)) {
        const href = (content.value as { href?: unknown } | null)?.href;
        throw policyViolation(
          mark.name === "link" && typeof href === "string" && !isAllowedLink(href)
            ? "link with a forbidden protocol"
            : "mark value outside the memo schema",
        );
      }
      return;
    }
    throw policyViolation("content outside the memo schema");
  }
  if (!(content instanceof Y.ContentType)) throw policyViolation("content outside the memo schema");
  const type = content.type;
  const parentNode = container.kind === "root" ? schema.topNodeType : container.node;
  if (type instanceof Y.XmlText) {
    if (!parentNode.isTextblock) throw policyViolation("text outside a text block");
    return;
  }
  if (!(type instanceof Y.XmlElement)) throw policyViolation("type outside the memo schema");
  const node = Object.hasOwn(schema.nodes, type.nodeName) ? schema.nodes[type.nodeName] : undefined;
  if (!node || node.isText) throw policyViolation("element outside the memo schema");
  if (!admits(parentNode, node)) throw policyViolation(`${node.name} where the memo schema does not allow it`);
  if (container.depth + 1 > MAX_DEPTH) throw policyViolation("content nested too deeply");
}

function isDeleted(deletes: DeleteSet, id: Y.ID): boolean {
  return (deletes.clients.get(id.client) ?? []).some(
    (range) => id.clock >= range.clock && id.clock < range.clock + range.len,
  );
}

/**
 * An element the update creates holds only what the update puts in it, so its content is known.
 * Its order is not checked: Yjs orders concurrent siblings by rules not worth re-deriving here, and
 * ProseMirror mends an order it does not expect by adding an empty block, never by dropping one.
 * So the children are matched with the text blocks first (a list item's expression starts with a
 * paragraph): an element whose children fit no order (an empty list) is refused.
 */
function checkCreatedContent(node: NodeType, children: Y.Item[], deletes: DeleteSet): void {
  if (node.isTextblock || node.isLeaf) return;
  const types: NodeType[] = [];
  for (const child of children) {
    if (isDeleted(deletes, child.id) || !(child.content instanceof Y.ContentType)) continue;
    const type = child.content.type;
    if (type instanceof Y.XmlElement) types.push(node.schema.nodes[type.nodeName]);
  }
  types.sort((a, b) => Number(b.isTextblock) - Number(a.isTextblock));
  let match: NodeType["contentMatch"] | null = node.contentMatch;
  for (const type of types) {
    match = match.matchType(type);
    if (!match) throw policyViolation(`${node.name} with content the memo schema does not allow`);
  }
  if (!match.validEnd) throw policyViolation(`${node.name} with content the memo schema does not allow`);
}
