import { NotFoundPage } from "@/components/layout/NotFoundPage";

/** Any address that is not a page of Demarche. Memos have their own (app/memos/[memoId]/not-found.tsx). */
export default function NotFound() {
  return (
    <NotFoundPage
      title="Page not found"
      explanation="There is no page at this address. Check the link, or go to your memos."
    />
  );
}
