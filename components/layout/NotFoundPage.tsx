import Link from "next/link";

/** A 404 page: what was not found, and the way back to one's memos. */
export function NotFoundPage({ title, explanation }: { title: string; explanation: string }) {
  return (
    <main className="not-found">
      <div>
        <p className="code">404</p>
        <h1>{title}</h1>
        <p>{explanation}</p>
        <Link className="button button-primary" href="/memos">
          Back to my memos
        </Link>
      </div>
    </main>
  );
}
