/** Bounds of a record import (engine/imports/): what one upload may hold. */

/** Largest upload accepted (413 beyond). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Most data rows in one file, the header not counted (422 beyond). */
export const MAX_IMPORT_ROWS = 200_000;
/** Most columns read from a file: a wider sheet is refused (422), a mapping table of thousands helps nobody. */
export const MAX_IMPORT_COLUMNS = 200;
/** Rows shown (and checked) in the preview. */
export const PREVIEW_ROWS = 10;
/** Longest cell text kept (a longer one is cut and then fails the field's maxLength if it has one). */
export const MAX_CELL_CHARS = 10_000;
/** Rows per transaction when bad rows are skipped: a crash or cancel loses at most this batch's work. */
export const SKIP_MODE_BATCH = 500;
/** A running import whose heartbeat is older than this was cut off (its node stopped). */
export const STALE_AFTER_MS = 60_000;
/** An upload not started within this long is cancelled and its file deleted (at the next upload). */
export const UPLOAD_KEPT_MS = 24 * 60 * 60 * 1000;
/**
 * Sub-form sheets (subformSheets.ts) are read into a key → rows index before the main sheet
 * streams by, so their size is what an import holds in memory: at most this many rows in all
 * the extra sheets together, and this many characters of cell text (422 at upload beyond).
 */
export const MAX_SUBFORM_ROWS = 50_000;
export const MAX_SUBFORM_CHARS = 20_000_000;
/** Most extra sheets read from an .xlsx. */
export const MAX_SUBFORM_SHEETS = 20;
/** Rows of each extra sheet kept at upload for the preview's sub-form rows. */
export const SUB_PREVIEW_ROWS = 200;
