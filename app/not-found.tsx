import Link from "next/link";

/** Any address that is not a page of Demarche. Memos have their own (app/memos/[memoId]/not-found.tsx). */
export default function NotFound() {
  return (
    <main className="not-found">
      <div>
        <p className="code">404</p>
        <h1>Page not found</h1>
        <p>There is no page at this address. Check the link, or go to your memos.</p>
        <Link className="button button-primary" href="/memos">
          Back to my memos
        </Link>
      </div>
    </main>
  );
}
