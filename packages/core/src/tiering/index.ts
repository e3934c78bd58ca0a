export {
  ColdTier,
  type ColdTierOptions,
  type ColdTierStats,
  coldTierOf,
  type OffloadReport,
} from './cold-tier.ts';
export type { ColdPartition } from './cold-views.ts';
export type { MovedDay, MoveStep } from './move-day.ts';
export {
  checkDay,
  dayCondition,
  PARQUET_COPY_OPTIONS,
  partitionFile,
  publishFile,
  tableGlob,
  writeTempFile,
} from './parquet-layout.ts';
export type { ReadScope } from './read-scope.ts';
export { COLD_PARTITIONS, TIER_TABLES, TIERED_SCHEMA, type TierTable, tierTable } from './tier-tables.ts';
