export type { DashboardCatalog } from './catalog-route.ts';
export { createDashboardPlugin, type DashboardOptions } from './dashboard-plugin.ts';
export { DASHBOARD_PUBLIC_PATHS } from './static-assets.ts';
export type { DashboardSummary } from './summary-route.ts';
