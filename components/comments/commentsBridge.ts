/** What the sidebar does for the editor. */
export type CommentsHandlers = {
  /** Starts a comment on the selection (toolbar button, Ctrl/Cmd+Alt+M). */
  startComment: () => void;
  /** Opens a thread (a click on its highlight). */
  openThread: (threadId: string) => void;
};

/**
 * How the editor reaches the comments sidebar. The editor holds the bridge from its first render,
 * before the sidebar exists; the sidebar attaches its handlers while it is mounted.
 */
export class CommentsBridge {
  private handlers: CommentsHandlers | null = null;

  /** Attaches the sidebar's handlers; returns the detach function. */
  attach(handlers: CommentsHandlers): () => void {
    this.handlers = handlers;
    return () => {
      if (this.handlers === handlers) this.handlers = null;
    };
  }

  startComment(): void {
    this.handlers?.startComment();
  }

  openThread(threadId: string): void {
    this.handlers?.openThread(threadId);
  }
}
