import { NotFoundPage } from "@/components/layout/NotFoundPage";

/** A memo that does not exist or was not shared with the caller: the same page for both. */
export default function MemoNotFound() {
  return (
    <NotFoundPage title="Memo not found" explanation="This memo does not exist, or it has not been shared with you." />
  );
}
