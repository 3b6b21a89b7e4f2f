import * as Y from "yjs";
import { applyCheckingSuggestions, type SuggestionRule } from "./suggestionRules";

// A copy of an open memo on which suggestion-bearing updates are tried before the memo takes them
// (suggestionRules.ts): Yjs cannot take an applied update back, so a refused one must never reach
// the real document. The copy follows the memo's own updates, is made when a first such update
// arrives (commenters and foreign suggestion marks are the only ones that need it), and is dropped
// after a refusal (it holds the refused update) or after IDLE_MS without use, so a memo nobody
// suggests in costs nothing. It garbage-collects what is deleted: only the live text is compared.

const IDLE_MS = 5 * 60_000;

export class SuggestionShadow {
  private readonly copy = new Y.Doc({ gc: true });
  private idle: NodeJS.Timeout;

  constructor(
    private readonly memo: Y.Doc,
    private readonly onDropped: () => void,
  ) {
    Y.applyUpdate(this.copy, Y.encodeStateAsUpdate(memo));
    memo.on("update", this.follow);
    this.idle = setTimeout(() => this.drop(), IDLE_MS);
    this.idle.unref();
  }

  /** Throws a ProtocolViolation unless `update` follows `rule` for `userId`; the memo is untouched. */
  check(update: Uint8Array, userId: string, rule: SuggestionRule): void {
    this.idle.refresh();
    try {
      applyCheckingSuggestions(this.copy, update, userId, rule);
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  /** Stops following the memo and frees the copy. */
  drop(): void {
    clearTimeout(this.idle);
    this.memo.off("update", this.follow);
    this.copy.destroy();
    this.onDropped();
  }

  private readonly follow = (update: Uint8Array) => Y.applyUpdate(this.copy, update);
}
