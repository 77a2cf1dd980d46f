/** Customer tiering: ABC by revenue and RFM scores, written to the customer records. */
export { abcTiers, type Tier } from './abc.ts';
export { rfmScores, segmentOf, quintileScores } from './rfm.ts';
export { runTiering, type TieringSummary } from './run.ts';
export { ensureTieringSchedule, TIERING_JOB_TYPE } from './job.ts';
export { tieringSourceOf, KEY_ACCOUNT_TIERING } from './source.ts';
