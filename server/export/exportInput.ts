import { z } from "zod";
import { EXPORT_COPIES, EXPORT_FORMATS } from "../../common/export/exportFormats";

// What an export request may carry. Checked with parseInput once the caller may export the memo.

/** An export: { format, copy } (?format=pdf, docx or md; &copy=review shows suggestions as tracked changes). */
export const exportInput = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `Choose an export format: ${EXPORT_FORMATS.join(", ")}.` }),
  copy: z
    .enum(EXPORT_COPIES, { error: `Choose a copy: ${EXPORT_COPIES.join(" or ")}.` })
    .optional()
    .default("clean"),
});
