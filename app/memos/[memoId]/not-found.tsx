import Link from "next/link";

/** A memo that does not exist or was not shared with the caller: the same page for both. */
export default function MemoNotFound() {
  return (
    <main className="not-found">
      <div>
        <p className="code">404</p>
        <h1>Memo not found</h1>
        <p>This memo does not exist, or it has not been shared with you.</p>
        <Link className="button button-primary" href="/memos">
          Back to my memos
        </Link>
      </div>
    </main>
  );
}
