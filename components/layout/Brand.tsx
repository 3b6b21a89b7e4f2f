import Link from "next/link";

/** The Demarche wordmark, linking home. */
export function Brand() {
  return (
    <Link href="/memos" className="brand" aria-label="Demarche — your memos">
      <span className="brand-mark" aria-hidden="true">
        D
      </span>
      <span className="brand-word">Demarche</span>
    </Link>
  );
}
