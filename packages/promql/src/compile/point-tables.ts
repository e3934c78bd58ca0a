/** Which derived point tables may hold rows: one known to be empty is left out of the SQL (less to plan). */
export interface PointTables {
  histograms: boolean;
  summaries: boolean;
}

/** Every point table read (when nothing is known about them). */
export const ALL_POINT_TABLES: PointTables = Object.freeze({ histograms: true, summaries: true });
