import { MARKING_COLORS, markingTone } from "@/common/memos/markingTone";
import styles from "./memoDetails.module.css";

/** The memo's classification or handling marking, as a coloured banner across the sheet. */
export function MarkingBanner({ marking }: { marking: string }) {
  return (
    <div
      className={styles.banner}
      style={{ background: MARKING_COLORS[markingTone(marking)] }}
      data-testid="marking-banner"
      role="note"
      aria-label="Classification or handling marking"
    >
      {marking}
    </div>
  );
}
