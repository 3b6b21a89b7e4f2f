import { z } from "zod";
import { EXPORT_FORMATS } from "../../common/export/exportFormats";

// What an export request may carry. Checked with parseInput once the caller may export the memo.

/** An export: { format } (?format=pdf, docx or md). */
export const exportInput = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `Choose an export format: ${EXPORT_FORMATS.join(", ")}.` }),
});
